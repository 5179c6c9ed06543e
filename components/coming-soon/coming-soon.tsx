import Link from "next/link";
import { Check, Hammer } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

export interface ComingSoonProps {
  title: string;
  summary: string;
  icon: React.ComponentType<{ className?: string; "aria-hidden"?: boolean }>;
  /** What the section will let people do, one line each. */
  features: string[];
  /** Where to look in the meantime. */
  related?: { href: string; label: string }[];
}

/** A section that is planned but not built yet: says what it will do instead of a broken page. */
export function ComingSoon({ title, summary, icon: Icon, features, related }: ComingSoonProps) {
  return (
    <div className="grid gap-8">
      <PageHeader title={title} description={summary} />
      <Card className="overflow-hidden">
        <div className="grid gap-8 p-6 sm:p-8 md:grid-cols-[auto_1fr]">
          <div className="flex size-14 items-center justify-center rounded-2xl bg-accent">
            <Icon aria-hidden className="size-7 text-primary" />
          </div>
          <div className="grid gap-5">
            <div className="grid gap-2">
              <Badge tone="primary" className="w-fit">
                <Hammer aria-hidden />
                Coming soon
              </Badge>
              <h2 className="text-lg font-semibold">This section is being built</h2>
              <p className="max-w-2xl text-sm text-muted-foreground">
                Nothing is broken: this part of Portcullis isn&apos;t available yet. Here is what it will do.
              </p>
            </div>
            <ul className="grid gap-2.5">
              {features.map((f) => (
                <li key={f} className="flex gap-2.5 text-sm">
                  <Check aria-hidden className="mt-0.5 size-4 shrink-0 text-primary" />
                  <span>{f}</span>
                </li>
              ))}
            </ul>
            {related && related.length > 0 && (
              <p className="text-sm text-muted-foreground">
                Meanwhile:{" "}
                {related.map((r, i) => (
                  <span key={r.href}>
                    {i > 0 && " · "}
                    <Link href={r.href} className="font-medium text-primary underline-offset-4 hover:underline">
                      {r.label}
                    </Link>
                  </span>
                ))}
              </p>
            )}
          </div>
        </div>
      </Card>
    </div>
  );
}
