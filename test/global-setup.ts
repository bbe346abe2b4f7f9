// Without DATABASE_URL_TEST, the whole test run shares one embedded PostgreSQL in a temporary folder.
import { useTestServer } from "./support/db.ts";

export default async function setup(): Promise<() => Promise<void>> {
  // Workers start after this and inherit DATABASE_URL_TEST.
  return useTestServer();
}
