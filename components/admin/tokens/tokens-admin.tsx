"use client";

import { useDeferredValue, useState } from "react";
import Link from "next/link";
import { Clock, KeyRound, Plus } from "lucide-react";
import { CreateTokenDialog } from "@/components/admin/tokens/create-token-dialog";
import { revokeTokenAction, tokenColumns } from "@/components/admin/tokens/token-columns";
import { useCan } from "@/components/shell/actor-context";
import { Button } from "@/components/ui/button";
import { DataList } from "@/components/ui/data-list";
import { PageHeader } from "@/components/ui/page-header";
import { useRevokeTokenMutation, useTokensQuery } from "@/lib/client/tokens";

const COLUMNS = tokenColumns({ owner: true });

/** Admin > Tokens: every API token, of people and service accounts. Read with users.read; issue
 * (yourself or a service account) and revoke any with tokens.manage. */
export function TokensAdmin() {
  const can = useCan();
  const manage = can("tokens.manage");
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [expiring, setExpiring] = useState(false);
  const tokens = useTokensQuery({ q, expiring });
  const revoke = useRevokeTokenMutation();
  const [creating, setCreating] = useState(false);

  return (
    <div className="grid gap-6">
      <PageHeader
        title="API tokens"
        description="Bearer tokens for the Portcullis API. A token acts with its owner's current role; only its first characters are kept in the clear."
        actions={
          manage && (
            <Button onClick={() => setCreating(true)}>
              <Plus aria-hidden />
              New token
            </Button>
          )
        }
      />

      <DataList
        query={tokens}
        columns={COLUMNS}
        rowKey={(t) => t.id}
        rowLabel={(t) => t.name}
        caption="API tokens"
        noun={["token", "tokens"]}
        actions={manage ? [revokeTokenAction(revoke.mutateAsync, { owner: true })] : undefined}
        rowClassName={(t) => (t.revokedAt ? "text-muted-foreground" : undefined)}
        search={{ value: search, onChange: setSearch, label: "Search tokens by name or prefix", placeholder: "Search by name or prefix" }}
        toolbar={
          <Button variant={expiring ? "primary" : "secondary"} size="sm" aria-pressed={expiring} onClick={() => setExpiring((v) => !v)}>
            <Clock aria-hidden />
            Expiring soon
          </Button>
        }
        filtered={q !== "" || expiring}
        emptyFiltered={
          expiring && !q
            ? { icon: Clock, title: "No tokens expire soon", description: "Live tokens close to their expiry are listed here." }
            : { title: "No tokens match", description: "Search looks at token names and prefixes." }
        }
        empty={{
          icon: KeyRound,
          title: "No API tokens yet",
          description: manage
            ? "Issue a token for a service account, or one for yourself."
            : "Tokens people and service accounts hold will be listed here.",
          action: manage ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <Plus aria-hidden />
              New token
            </Button>
          ) : undefined,
        }}
      />

      <p className="text-sm text-muted-foreground">
        Tokens for yourself are also under{" "}
        <Link href="/account/tokens" className="font-medium text-primary underline-offset-4 hover:underline">
          your account
        </Link>
        .
      </p>

      {manage && <CreateTokenDialog open={creating} onOpenChange={setCreating} owners="self-or-service" />}
    </div>
  );
}
