"use client";

import { useState } from "react";
import { Trash2, UserPlus } from "lucide-react";
import { toast } from "sonner";
import type { UseMutationResult } from "@tanstack/react-query";
import { useActor } from "@/components/shell/actor-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/input";
import { errorMessage } from "@/lib/client/api";
import { formatDate } from "@/lib/client/format";

// Co-owners of a thing (a server, an agent): the list, "add by e-mail", and remove with a
// confirmation. A thing always keeps one owner, so the last one has no remove button.

export interface Owner {
  id: string;
  name: string | null;
  addedAt?: string;
}

interface Props {
  owners: Owner[];
  /** May the viewer change the list. */
  manage: boolean;
  /** What owners may do, under the title. */
  description: string;
  /** What removing someone means, in the confirmation. */
  removeDescription: string;
  /** Names the thing in the success message, e.g. "Expense assistant". */
  subject?: string;
  add: UseMutationResult<unknown, Error, string>;
  remove: UseMutationResult<unknown, Error, string>;
}

export function OwnersEditor({ owners, manage, description, removeDescription, subject, add, remove }: Props) {
  const me = useActor();
  const [email, setEmail] = useState("");
  const [removing, setRemoving] = useState<Owner | null>(null);
  const nameOf = (o: Owner | null, fallback: string) => o?.name || fallback;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Owners</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {owners.length === 0 ? (
          <p className="text-sm text-muted-foreground">No owners: only approvers can change it.</p>
        ) : (
          <ul className="grid gap-2" aria-label="Owners">
            {owners.map((o) => (
              <li key={o.id} className="flex items-center justify-between gap-2 text-sm">
                <span>
                  {nameOf(o, "someone removed")} {o.id === me.id && <Badge tone="primary">you</Badge>}
                  {o.addedAt && <span className="block text-xs text-muted-foreground">since {formatDate(o.addedAt)}</span>}
                </span>
                {manage && owners.length > 1 && (
                  <Button size="icon-sm" variant="ghost" aria-label={`Remove ${nameOf(o, "owner")} as owner`} onClick={() => setRemoving(o)}>
                    <Trash2 aria-hidden className="size-4" />
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {manage && (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              const value = email.trim();
              if (!value) return;
              add.mutate(value, {
                onSuccess: () => {
                  toast.success(`${value} is now an owner${subject ? ` of ${subject}` : ""}`);
                  setEmail("");
                },
                onError: (err) => toast.error(errorMessage(err)),
              });
            }}
          >
            <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="colleague@example.com" aria-label="E-mail of a co-owner to add" />
            <Button type="submit" variant="secondary" disabled={add.isPending || !email.trim()}>
              <UserPlus aria-hidden />
              Add
            </Button>
          </form>
        )}
      </CardContent>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${nameOf(removing, "this owner")}?`}
        description={removeDescription}
        confirmLabel="Remove owner"
        destructive
        pending={remove.isPending}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => toast.success(`${nameOf(removing, "The owner")} is no longer an owner`),
            onError: (err) => toast.error(errorMessage(err)),
            onSettled: () => setRemoving(null),
          })
        }
      />
    </Card>
  );
}
