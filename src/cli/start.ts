// `churnwatch start`: runs the bot until SIGINT/SIGTERM, then stops the receiver and the database.
import { startBot } from "../main.ts";
import type { CliIo } from "./main.ts";

export async function runStart(_io: CliIo): Promise<number> {
  const bot = await startBot();
  const stop = async (signal: string) => {
    process.stderr.write(`\n${signal}: stopping Churnwatch…\n`);
    await bot.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  return 0;
}
