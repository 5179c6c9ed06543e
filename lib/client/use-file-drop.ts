"use client";

import { useState } from "react";

/**
 * Drag-and-drop of one file onto an element: `over` while a file is held above it, and the
 * handlers to spread on the element. A drop hands the first file (or undefined) to `onDrop`.
 */
export function useFileDrop(onDrop: (file: File | undefined) => void, disabled = false) {
  const [over, setOver] = useState(false);
  const handlers = {
    onDragOver: (e: React.DragEvent) => {
      if (disabled) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (e: React.DragEvent) => {
      e.preventDefault();
      setOver(false);
      if (!disabled) onDrop(e.dataTransfer.files[0]);
    },
  };
  return { over, handlers };
}
