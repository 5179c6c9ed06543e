import { test as base, expect, type Locator, type Page } from "@playwright/test";

// The `test` every spec uses: the browser may reach only the servers under test (127.0.0.1), as
// on an air-gapped install; anything else (e.g. the IdP's dev pages import a web font) is aborted
// at once instead of waiting for a network that is not there.
export const test = base.extend<{ airGapped: void }>({
  airGapped: [
    async ({ context }, use) => {
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort("blockedbyclient"));
      await use();
    },
    { auto: true },
  ],
});

export { expect };

/** The page's own alert (Next's empty route announcer also has role="alert"). */
export const alertOf = (page: Page): Locator => page.getByRole("alert").filter({ hasText: /\S/ });

/** The signed-in shell's sidebar (visible at desktop width). */
export const sidebar = (page: Page): Locator => page.locator("aside");

/** Picks an option in a Radix select (a combobox button and a listbox of options). */
export async function choose(page: Page, combobox: Locator, option: string) {
  await combobox.click();
  await page.getByRole("option", { name: option, exact: true }).click();
}
