"use client";

import { Select as SelectPrimitive } from "radix-ui";
import { Check, ChevronDown } from "lucide-react";
import { cn } from "@/lib/client/cn";

export interface SelectOption {
  value: string;
  label: string;
  description?: string;
}

export interface SelectGroup {
  label: string;
  options: SelectOption[];
}

interface SelectProps extends Omit<React.ComponentProps<typeof SelectPrimitive.Root>, "children"> {
  id?: string;
  placeholder?: string;
  options?: SelectOption[];
  groups?: SelectGroup[];
  className?: string;
  size?: "sm" | "md";
  "aria-label"?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

/** A styled, keyboard-accessible select (Radix) over a list or groups of options. */
export function Select({
  id,
  placeholder,
  options,
  groups,
  className,
  size = "md",
  "aria-label": ariaLabel,
  "aria-invalid": ariaInvalid,
  "aria-describedby": ariaDescribedBy,
  ...root
}: SelectProps) {
  return (
    <SelectPrimitive.Root {...root}>
      <SelectPrimitive.Trigger
        id={id}
        aria-label={ariaLabel}
        aria-invalid={ariaInvalid}
        aria-describedby={ariaDescribedBy}
        className={cn(
          "inline-flex w-full cursor-pointer items-center justify-between gap-2 rounded-md border border-input bg-card text-left text-foreground shadow-xs",
          "focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring/40",
          "disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-destructive data-[placeholder]:text-muted-foreground",
          size === "sm" ? "h-8 px-2.5 text-xs" : "h-9 px-3 text-sm",
          className,
        )}
      >
        <SelectPrimitive.Value placeholder={placeholder} />
        <SelectPrimitive.Icon>
          <ChevronDown aria-hidden className="size-4 opacity-60" />
        </SelectPrimitive.Icon>
      </SelectPrimitive.Trigger>
      <SelectPrimitive.Portal>
        <SelectPrimitive.Content
          position="popper"
          sideOffset={4}
          className="z-50 max-h-[min(var(--radix-select-content-available-height),20rem)] min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-lg border bg-card text-card-foreground shadow-lg data-[state=open]:animate-fade-in"
        >
          <SelectPrimitive.Viewport className="p-1">
            {options?.map((o) => <Item key={o.value} option={o} />)}
            {groups?.map((g, i) =>
              g.options.length ? (
                <SelectPrimitive.Group key={g.label}>
                  {i > 0 && <SelectPrimitive.Separator className="mx-1 my-1 h-px bg-border" />}
                  <SelectPrimitive.Label className="px-2 py-1.5 text-xs font-medium text-muted-foreground">
                    {g.label}
                  </SelectPrimitive.Label>
                  {g.options.map((o) => (
                    <Item key={o.value} option={o} />
                  ))}
                </SelectPrimitive.Group>
              ) : null,
            )}
          </SelectPrimitive.Viewport>
        </SelectPrimitive.Content>
      </SelectPrimitive.Portal>
    </SelectPrimitive.Root>
  );
}

function Item({ option }: { option: SelectOption }) {
  return (
    <SelectPrimitive.Item
      value={option.value}
      className="relative flex cursor-pointer items-start gap-2 rounded-md py-1.5 pr-2 pl-7 text-sm outline-none select-none data-[disabled]:pointer-events-none data-[disabled]:opacity-50 data-[highlighted]:bg-muted"
    >
      <SelectPrimitive.ItemIndicator className="absolute top-2 left-2">
        <Check aria-hidden className="size-3.5" />
      </SelectPrimitive.ItemIndicator>
      <div className="grid">
        <SelectPrimitive.ItemText>{option.label}</SelectPrimitive.ItemText>
        {option.description && <span className="text-xs text-muted-foreground">{option.description}</span>}
      </div>
    </SelectPrimitive.Item>
  );
}
