"use client";

import { useState } from "react";
import { SecretReveal } from "@/components/admin/secret-reveal";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";

/**
 * A create dialog whose result carries a secret (an API token): the form first, then the secret,
 * shown once. While the secret is on screen only its explicit button closes the dialog.
 */
export function CreateSecretDialog<T extends { token: string }>({
  open,
  onOpenChange,
  title,
  description,
  revealed,
  renderForm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  revealed: (created: T) => { title: string; subject: string };
  renderForm: (props: { onCreated: (created: T) => void; onCancel: () => void }) => React.ReactNode;
}) {
  const [created, setCreated] = useState<T | null>(null);
  const close = () => {
    onOpenChange(false);
    setCreated(null);
  };
  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent
        hideClose={created !== null}
        onEscapeKeyDown={(e) => created && e.preventDefault()}
        onPointerDownOutside={(e) => created && e.preventDefault()}
      >
        {created ? (
          <SecretReveal {...revealed(created)} token={created.token} onDone={close} />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>{title}</DialogTitle>
              <DialogDescription>{description}</DialogDescription>
            </DialogHeader>
            {open && renderForm({ onCreated: setCreated, onCancel: close })}
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
