import { ChildProcess, spawn } from "node:child_process";
import { baseURL, sampleAppBinary } from "../playwright.config";

/**
 * Where the sample application listens in this suite (the README's default is 3100): a port for
 * each of the runner's parallel workers, so that two specs can each run one at once.
 */
export const SAMPLE_ADDR = `127.0.0.1:${3298 + Number(process.env.TEST_PARALLEL_INDEX ?? 0)}`;
export const SAMPLE_ORIGIN = `http://${SAMPLE_ADDR}`;

/** Starts the sample application for `clientId`; resolves once it says it is listening. */
export async function startSampleApp(clientId: string, clientSecret: string | null): Promise<ChildProcess> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GUISE_URL: baseURL,
    SAMPLE_CLIENT_ID: clientId,
    SAMPLE_ADDR,
  };
  if (clientSecret) env.SAMPLE_CLIENT_SECRET = clientSecret;
  else delete env.SAMPLE_CLIENT_SECRET;
  const child = spawn(sampleAppBinary, [], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sample app did not start in time:\n${output}`)), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`sample app listening on ${SAMPLE_ORIGIN}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`the sample app exited (${code}):\n${output}`)));
  });
  return child;
}
