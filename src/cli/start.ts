// `churnwatch start`: runs the bot until SIGINT/SIGTERM, then stops the receiver and the database.
import { loadConfig } from "../config.ts";
import type { CliIo } from "./main.ts";

export async function runStart(_io: CliIo): Promise<number> {
  // Settings first: a missing token is reported at once, before the app's modules load.
  const config = loadConfig();
  const { startBot } = await import("../main.ts");
  const bot = await startBot({ config });
  const stop = async (signal: string) => {
    process.stderr.write(`\n${signal}: stopping Churnwatch…\n`);
    await bot.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  return 0;
}
