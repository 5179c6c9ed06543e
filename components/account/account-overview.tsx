"use client";

import Link from "next/link";
import { ChevronRight, KeyRound, LockKeyhole } from "lucide-react";
import { useActor } from "@/components/shell/actor-context";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ROLE_DESCRIPTIONS, RoleBadge } from "@/components/ui/role-badge";

const LINKS = [
  { href: "/account/password", icon: LockKeyhole, title: "Password", description: "Change the password you sign in with." },
  { href: "/account/tokens", icon: KeyRound, title: "API tokens", description: "Tokens that call the API as you: create and revoke them." },
];

/** Account: who you are signed in as, and your own password and API tokens. */
export function AccountOverview() {
  const me = useActor();
  return (
    <div className="grid gap-6">
      <PageHeader title="Your account" description="What Portcullis knows about you, and the credentials you manage yourself." />
      <Card>
        <CardHeader>
          <CardTitle>Profile</CardTitle>
          <CardDescription>Your name, e-mail and role are set by an administrator (or your identity provider).</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-x-8 gap-y-3 text-sm sm:grid-cols-[auto_1fr]">
            <dt className="text-muted-foreground">Name</dt>
            <dd className="font-medium break-words">{me.name}</dd>
            <dt className="text-muted-foreground">E-mail</dt>
            <dd className="break-words">{me.email ?? "none"}</dd>
            <dt className="text-muted-foreground">Role</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <RoleBadge role={me.role} />
              <span className="text-muted-foreground">{ROLE_DESCRIPTIONS[me.role]}</span>
            </dd>
          </dl>
        </CardContent>
      </Card>
      <nav aria-label="Account" className="grid gap-3 sm:grid-cols-2">
        {LINKS.map(({ href, icon: Icon, title, description }) => (
          <Link
            key={href}
            href={href}
            className="group flex items-center gap-4 rounded-xl border bg-card p-5 shadow-xs transition-colors hover:bg-muted/50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-accent text-accent-foreground">
              <Icon aria-hidden className="size-5" />
            </span>
            <span className="grid min-w-0 flex-1 gap-0.5">
              <span className="font-medium">{title}</span>
              <span className="text-sm text-muted-foreground">{description}</span>
            </span>
            <ChevronRight aria-hidden className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5" />
          </Link>
        ))}
      </nav>
    </div>
  );
}
