// Lighthouse and pa11y (HTML_CodeSniffer) on many pages with one Chromium: each tool's CLI starts a
// browser per page, which costs more than the audit of a small static page.
// stdin: {"chromium": path, "flags": [...], "urls": [...], "lighthouse": [categories] | null, "runs": n,
//         "pa11y": bool, "page_seconds": n, "settle_ms": n | null}
// stdout: one JSON object per line, {"url", "tool": "lighthouse" | "pa11y", "report" | "error"}.
import { readFileSync } from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import pa11y from "pa11y";
import puppeteer from "puppeteer";

const request = JSON.parse(readFileSync(0, "utf8"));
const write = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
// One page that never settles fails alone: the others keep their answers.
const within = (promise, seconds, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${seconds} s`)), seconds * 1000).unref()),
  ]);

// chrome-launcher adds --headless itself when asked; the flags say it already.
const chrome = await chromeLauncher.launch({ chromePath: request.chromium, chromeFlags: request.flags });
process.on("exit", () => chrome.kill()); // chrome-launcher detaches Chromium: it must not outlive this process
try {
  if (request.lighthouse) {
    for (const url of request.urls.flatMap((url) => Array(request.runs).fill(url))) {
      try {
        const result = await within(
          lighthouse(url, {
            port: chrome.port,
            logLevel: "error",
            onlyCategories: request.lighthouse,
            disableFullPageScreenshot: true, // no audit Careleaf reads uses it
            // No timing audited: the page is judged once loaded and quiet for settle_ms (under the
            // default simulated throttling: any other method waits at least 5.25 s).
            ...(request.settle_ms === null
              ? {}
              : {
                  pauseAfterFcpMs: request.settle_ms,
                  pauseAfterLoadMs: request.settle_ms,
                  // Quiet: no request in flight, no main-thread task, for settle_ms (every fetch a page
                  // starts while loading is awaited; the shorter window costs only a late timer).
                  networkQuietThresholdMs: request.settle_ms,
                  cpuQuietThresholdMs: request.settle_ms,
                }),
          }),
          request.page_seconds,
          "lighthouse",
        );
        write({ url, tool: "lighthouse", report: result.lhr });
      } catch (error) {
        write({ url, tool: "lighthouse", error: String(error && error.stack ? error.stack : error) });
      }
    }
  }
  if (request.pa11y) {
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    try {
      for (const url of request.urls) {
        try {
          const result = await within(
            pa11y(url, { browser, runners: ["htmlcs"], standard: "WCAG2AA", timeout: 60000 }),
            request.page_seconds,
            "pa11y",
          );
          write({ url, tool: "pa11y", report: result.issues });
        } catch (error) {
          write({ url, tool: "pa11y", error: String(error && error.stack ? error.stack : error) });
        }
      }
    } finally {
      await browser.disconnect();
    }
  }
} finally {
  await chrome.kill();
}
