import type { Locator, Page } from 'playwright-core';
import { eventually } from './browser';

/**
 * What staff do in Strapi's admin UI, by what they see: roles, labels (src/admin-ui/layouts.ts)
 * and visible text.
 */

/** Logs in on /admin's form and waits for the home page. */
export const logIn = async (page: Page, email: string, password: string) => {
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.getByRole('heading', { name: /^Hello/ }).waitFor();
};

/**
 * Strapi shows first-time administrators a guided tour (a card on the home page and popovers
 * on later pages) and a "new features" banner: close them as a newcomer would. Popovers that
 * still show up later are skipped whenever they get in the way.
 */
export const dismissFirstVisitPopups = async (page: Page) => {
  const tourStep = page.locator('[role="dialog"][aria-labelledby="guided-tour-title"]');
  // Skip closes that part of the tour; Playwright then waits for the popover to be gone.
  await page.addLocatorHandler(tourStep, () => tourStep.getByRole('button', { name: 'Skip' }).click());

  const banner = page.getByRole('button', { name: 'Close the banner' });
  if (await banner.isVisible()) await banner.click();
  const closeTour = page.getByRole('button', { name: 'Close guided tour' });
  if (await closeTour.isVisible()) {
    await closeTour.click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await closeTour.waitFor({ state: 'hidden' });
  }
};

/** A date picker of the edit view, by its label, e.g. "First day". */
export const dateField = (page: Page, label: string) => page.getByRole('combobox', { name: label, exact: true });

/**
 * Types a date (YYYY-MM-DD) in an empty date picker as staff do: MM/DD/YYYY (the browser's en-US
 * locale), then Enter, which sets it and closes the calendar.
 */
export const fillDate = async (page: Page, label: string, isoDate: string) => {
  const [year, month, day] = isoDate.split('-');
  const typed = `${month}/${day}/${year}`;
  const input = dateField(page, label);
  await input.click();
  await input.pressSequentially(typed);
  await input.press('Enter');
  await eventually(async () => {
    if ((await input.inputValue()) !== typed) throw new Error(`${label} shows "${await input.inputValue()}" after typing ${typed}.`);
  }, 10000);
};

/**
 * One field of the edit view by its label, with what is inside it (for repeatable components,
 * whose label is "Speakers (2)" and which have no landmark of their own): the innermost block
 * holding both that label and a button.
 */
export const fieldBlock = (page: Page, label: string): Locator =>
  page
    .locator('div')
    .filter({ has: page.locator('label', { hasText: new RegExp(`^${label}(\\s*\\(\\d+\\))?$`) }) })
    .filter({ has: page.getByRole('button') })
    .last();

/**
 * Adds an entry to a repeatable participant component ("Speakers", "Organizers") and picks an
 * existing person in its "Person" relation field.
 */
export const addParticipant = async (page: Page, label: 'Speakers' | 'Organizers', person: string) => {
  const block = fieldBlock(page, label);
  const entries = Number((await block.locator('label').first().innerText()).match(/\((\d+)\)/)?.[1] ?? 0);
  const add = entries === 0 ? block.getByRole('button', { name: 'No entry yet. Click to add one.' }) : block.getByRole('button', { name: 'Add an entry' });
  await add.click();
  // The new entry opens with its fields; its "Person" combobox is the one for this index. Once
  // its list is open the rest of the page is hidden from assistive technology (and from role
  // locators), so it is then found by its field name.
  const picker = page.locator(`input[name="${label.toLowerCase()}.${entries}.person"]`);
  await block.getByRole('combobox', { name: 'Person' }).and(picker).waitFor();
  await picker.click();
  await picker.fill(person.split(' ')[0]);
  await page.getByRole('option', { name: new RegExp(person) }).click();
  await block.getByText(person, { exact: true }).waitFor();
};

/** The text that describes a field to assistive technology: its hint, or its error once shown. */
export const descriptionOf = async (page: Page, field: Locator) => {
  const ids = (await field.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(ids.split(/\s+/).filter(Boolean).map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
};
