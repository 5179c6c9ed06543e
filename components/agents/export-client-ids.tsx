"use client";

import { ChevronDown, Download, FileJson, FileText } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { clientIdsHref } from "@/lib/client/agents";

/** Every published client_id, for authorization servers that allowlist CIMD URLs. */
export function ExportClientIds() {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="secondary">
          <Download aria-hidden />
          Export client_ids
          <ChevronDown aria-hidden className="opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel>Published agents only</DropdownMenuLabel>
        <DropdownMenuItem asChild>
          <a href={clientIdsHref("json")} download="client-ids.json">
            <FileJson aria-hidden />
            JSON (client_id, slug, SHA-256…)
          </a>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <a href={clientIdsHref("text")} download="client-ids.txt">
            <FileText aria-hidden />
            Text (one client_id per line)
          </a>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
