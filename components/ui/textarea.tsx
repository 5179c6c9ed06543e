import { cn } from "@/lib/client/cn";
import { inputClasses } from "@/components/ui/input";

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea className={cn(inputClasses, "h-auto min-h-20 py-2 leading-normal", className)} {...props} />;
}
