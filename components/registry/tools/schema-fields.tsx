"use client";

import { useState } from "react";
import { revealInvisible } from "@/lib/registry/tools-reveal";

// A JSON Schema (a tool's input or output) as a readable field list: name, type, required,
// description, enum and default, nested objects indented. The raw JSON is one click away. Both
// reveal invisible characters, as everywhere a server's text is shown.

type Schema = Record<string, unknown>;

const typeOf = (s: Schema): string => {
  if (Array.isArray(s.type)) return s.type.join(" | ");
  if (typeof s.type === "string") return s.type === "array" && s.items && typeof s.items === "object" ? `${typeOf(s.items as Schema)}[]` : s.type;
  if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) return ((s.anyOf ?? s.oneOf) as Schema[]).map(typeOf).join(" | ");
  if (s.enum) return "enum";
  return "any";
};

function Fields({ schema, depth }: { schema: Schema; depth: number }) {
  const props = (schema.properties && typeof schema.properties === "object" ? schema.properties : {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const names = Object.keys(props);
  if (!names.length) return depth === 0 ? <p className="text-xs text-muted-foreground">No parameters.</p> : null;
  return (
    <ul className={depth ? "mt-1 grid gap-1 border-l pl-3" : "grid gap-1.5"}>
      {names.map((name) => {
        const p = props[name] ?? {};
        const nested = p.type === "object" ? p : p.type === "array" && (p.items as Schema | undefined)?.type === "object" ? (p.items as Schema) : null;
        return (
          <li key={name} className="text-xs">
            <span className="font-mono font-medium">{revealInvisible(name)}</span> <span className="text-muted-foreground">{typeOf(p)}</span>
            {required.has(name) && <span className="ml-1 text-amber-700 dark:text-amber-300">required</span>}
            {typeof p.description === "string" && <span className="block whitespace-pre-wrap text-muted-foreground">{revealInvisible(p.description)}</span>}
            {Array.isArray(p.enum) && <span className="block text-muted-foreground">one of: {p.enum.map((e) => revealInvisible(JSON.stringify(e) ?? "")).join(", ")}</span>}
            {p.default !== undefined && <span className="block text-muted-foreground">default: {revealInvisible(JSON.stringify(p.default) ?? "")}</span>}
            {nested && depth < 6 && <Fields schema={nested} depth={depth + 1} />}
          </li>
        );
      })}
    </ul>
  );
}

export function SchemaFields({ schema, label }: { schema: unknown; label: string }) {
  const [raw, setRaw] = useState(false);
  if (!schema || typeof schema !== "object") return null;
  return (
    <div className="grid gap-1">
      <div className="flex items-center gap-2">
        <span className="text-xs font-medium text-muted-foreground uppercase">{label}</span>
        <button type="button" className="text-xs text-primary underline-offset-2 hover:underline" onClick={() => setRaw((r) => !r)} aria-pressed={raw}>
          {raw ? "Fields" : "Raw JSON"}
        </button>
      </div>
      {raw ? <pre className="max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs">{revealInvisible(JSON.stringify(schema, null, 2))}</pre> : <Fields schema={schema as Schema} depth={0} />}
    </div>
  );
}
