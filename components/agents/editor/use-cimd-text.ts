import { useMemo, useState } from "react";
import type { CimdIssue } from "@/lib/client/agents";
import { checkCimd, type CheckOptions } from "./check";

/** The editor's state: the text, its live check, and the API's last word on it (until it changes). */
export function useCimdText(initial: string, { clientId, kind, insecureBase, previous }: CheckOptions) {
  const [text, setTextState] = useState(initial);
  const [serverIssues, setServerIssues] = useState<CimdIssue[] | null>(null);
  const check = useMemo(() => checkCimd(text, { clientId, kind, insecureBase, previous }), [text, clientId, kind, insecureBase, previous]);
  return {
    text,
    check,
    serverIssues,
    setServerIssues,
    setText(next: string) {
      setTextState(next);
      setServerIssues(null);
    },
  };
}

export type CimdText = ReturnType<typeof useCimdText>;
