// Where focus goes when a dialog closes: back to the control that opened it.
//
// Radix does this only when the dialog was opened by its own Dialog.Trigger. Most of our dialogs
// are opened from elsewhere: a row action, a menu item, a select, a button that sets state. So
// we remember the last control a person pressed or focused outside a popup (menus and listboxes
// vanish when they close, so their items are never the one to return to), take that as the
// dialog's opener when it opens, and focus it again when it closes. When the opener is gone (the
// row's button disappeared after the action), the nearest remembered fallback (an element marked
// data-focus-fallback, e.g. the row or the list) gets focus instead.

const CONTROL = 'button, a[href], input, select, textarea, summary, [tabindex], [role="button"], [role="combobox"]';
const POPUP = '[role="menu"], [role="listbox"], [data-radix-popper-content-wrapper]';

// The last few controls, newest last: a dialog that focuses its first field on mount (autoFocus)
// has already moved focus inside itself by the time it reports opening, so its opener is the
// newest control outside it.
const recent: HTMLElement[] = [];

function remember(target: EventTarget | null) {
  if (!(target instanceof Element)) return;
  if (target.closest(POPUP)) return;
  const control = target.closest<HTMLElement>(CONTROL);
  if (!control || recent[recent.length - 1] === control) return;
  recent.push(control);
  if (recent.length > 8) recent.shift();
}

if (typeof window !== "undefined") {
  // Capture phase: seen before any handler opens a dialog (Radix triggers act on pointerdown and
  // prevent the focus a click would give them).
  document.addEventListener("pointerdown", (e) => remember(e.target), true);
  document.addEventListener("focusin", (e) => remember(e.target), true);
  document.addEventListener("keydown", (e) => remember(e.target), true);
}

export interface FocusReturn {
  opener: HTMLElement | null;
  fallbacks: HTMLElement[];
}

/**
 * Called as a dialog opens (`dialog` is its content element): who opened it, and where to go if
 * that control is gone by the time it closes.
 */
export function captureOpener(dialog: Element | null): FocusReturn {
  const outside = (el: Element | null | undefined): el is HTMLElement =>
    el instanceof HTMLElement && el !== document.body && !el.closest(POPUP) && !dialog?.contains(el);
  // The focused element wins unless it sits in a popup that is closing (a menu item) or already
  // in the dialog; then the newest control pressed or focused outside it.
  const active = document.activeElement;
  const opener = outside(active) ? active : ([...recent].reverse().find((el) => el.isConnected && outside(el)) ?? null);
  const fallbacks: HTMLElement[] = [];
  for (let el = opener?.parentElement?.closest<HTMLElement>("[data-focus-fallback]"); el; ) {
    fallbacks.push(el);
    el = el.parentElement?.closest<HTMLElement>("[data-focus-fallback]");
  }
  return { opener, fallbacks };
}

function focusable(el: HTMLElement | null): el is HTMLElement {
  if (!el || !el.isConnected) return false;
  if (el.matches(":disabled") || el.closest("[inert]")) return false;
  return el.getClientRects().length > 0;
}

/** Called as a dialog closes (its onCloseAutoFocus): true when focus was placed. */
export function restoreFocus(ret: FocusReturn | null): boolean {
  if (!ret) return false;
  // The opener may itself have been a menu trigger that Radix re-renders; look it up by id too.
  const candidates = [ret.opener, ret.opener?.id ? document.getElementById(ret.opener.id) : null, ...ret.fallbacks];
  const target = candidates.find(focusable);
  if (!target) return false;
  target.focus({ preventScroll: false });
  return true;
}
