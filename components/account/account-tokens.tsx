"use client";

import { useState } from "react";
import Link from "next/link";
import { ArrowLeft, KeyRound, Plus } from "lucide-react";
import { CreateTokenDialog } from "@/components/admin/tokens/create-token-dialog";
import { revokeTokenAction, tokenColumns } from "@/components/admin/tokens/token-columns";
import { Button } from "@/components/ui/button";
import { DataList } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { useMyTokensQuery, useRevokeTokenMutation } from "@/lib/client/tokens";

const COLUMNS = tokenColumns({ owner: false });

/** Account > API tokens: the signed-in person's own tokens; create (shown once) and revoke. */
export function AccountTokens() {
  const tokens = useMyTokensQuery();
  const revoke = useRevokeTokenMutation();
  const [creating, setCreating] = useState(false);
  const newToken = (size: "sm" | "md") => (
    <Button size={size} onClick={() => setCreating(true)}>
      <Plus aria-hidden />
      New token
    </Button>
  );

  return (
    <div className="grid gap-6">
      <Link href="/account" className="inline-flex w-fit items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft aria-hidden className="size-4" />
        Your account
      </Link>
      <PageHeader
        title="Your API tokens"
        description="Tokens that call the Portcullis API as you, with your role's permissions, e.g. from scripts. Revoke the ones you no longer use."
        actions={newToken("md")}
      />
      <DataList
        query={tokens}
        columns={COLUMNS}
        rowKey={(t) => t.id}
        rowLabel={(t) => t.name}
        caption="Your API tokens"
        noun={["token", "tokens"]}
        actions={[revokeTokenAction(revoke.mutateAsync, { owner: false })]}
        rowClassName={(t) => (t.revokedAt ? "text-muted-foreground" : undefined)}
        empty={{
          icon: KeyRound,
          title: "You have no API tokens",
          description: "Create one to call the API from a script or a pipeline as yourself.",
          action: newToken("sm"),
        }}
      />
      <CreateTokenDialog open={creating} onOpenChange={setCreating} owners="self" />
    </div>
  );
}
