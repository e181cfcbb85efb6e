// The demo links and birth dates printed by `relais demo` when the test
// server started (see server.mjs).
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DemoCase {
  reference: string;
  path: string;
  birth: { day: string; month: string; year: string };
}

export function demoCases(): DemoCase[] {
  const port = process.env.RELAIS_E2E_PORT ?? "3917";
  const text = readFileSync(join(tmpdir(), `relais-e2e-demo-${port}.txt`), "utf8");
  const cases: DemoCase[] = [];
  for (const m of text.matchAll(/(DEMO-\d+)\s+(https?:\/\/\S+)\s+born (\d{4})-(\d{2})-(\d{2})/g)) {
    cases.push({
      reference: m[1],
      path: new URL(m[2]).pathname,
      birth: { year: m[3], month: String(Number(m[4])), day: String(Number(m[5])) },
    });
  }
  if (cases.length < 4) throw new Error(`demo output has ${cases.length} case links:\n${text}`);
  return cases;
}

export interface DemoContact {
  first: string;
  path: string;
}

/** The notified contacts' links printed by `relais demo`, by first name. */
export function demoContacts(): Map<string, DemoContact> {
  const port = process.env.RELAIS_E2E_PORT ?? "3917";
  const text = readFileSync(join(tmpdir(), `relais-e2e-demo-${port}.txt`), "utf8");
  const contacts = new Map<string, DemoContact>();
  for (const m of text.matchAll(/(https?:\/\/\S+\/c\/\S+)\s+(\S+) \S+ —/g)) {
    contacts.set(m[2], { first: m[2], path: new URL(m[1]).pathname });
  }
  if (contacts.size < 5) throw new Error(`demo output has ${contacts.size} contact links:\n${text}`);
  return contacts;
}

/** The staff passwords printed by `relais demo`, by username. */
export function demoStaff(): Map<string, string> {
  const port = process.env.RELAIS_E2E_PORT ?? "3917";
  const text = readFileSync(join(tmpdir(), `relais-e2e-demo-${port}.txt`), "utf8");
  const staff = new Map<string, string>();
  for (const m of text.matchAll(/^\s+(demo-\S+)\s+\S+\s+password: (\S+)$/gm)) {
    staff.set(m[1], m[2]);
  }
  if (staff.size < 3) throw new Error(`demo output has ${staff.size} staff accounts:\n${text}`);
  return staff;
}

/** What the server's SMS log holds now (the log provider writes each SMS there). */
export function smsLog(): string {
  const port = process.env.RELAIS_E2E_PORT ?? "3917";
  const path = readFileSync(join(tmpdir(), `relais-e2e-sms-${port}.txt`), "utf8");
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
