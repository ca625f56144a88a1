// Lighthouse (mobile defaults) on each URL given, one Chromium for them all: starting Node,
// Lighthouse and Chromium once instead of once a page saves about 4 s a page. Prints one line
// of JSON a page: {"url": ..., "scores": {"performance": 0-100, ...}}.
// Run by benchmarks/lighthouse_scores.py, which says which Chromium and flags (CHROME_PATH,
// LIGHTHOUSE_CHROME_FLAGS) and which categories to score (LIGHTHOUSE_CATEGORIES, e.g.
// "accessibility,seo"; every category when empty).
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const urls = process.argv.slice(2);
const categories = (process.env.LIGHTHOUSE_CATEGORIES || "").split(",").filter(Boolean);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.LIGHTHOUSE_CHROME_FLAGS || "").split(" ").filter(Boolean),
});
try {
  for (const url of urls) {
    // No full-page screenshot: it is for the HTML report's pictures, no score reads it (1.2 s).
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      disableFullPageScreenshot: true,
      ...(categories.length ? { onlyCategories: categories } : {}),
    });
    const scores = Object.fromEntries(
      Object.entries(result.lhr.categories).map(([name, category]) => [
        name,
        Math.round(category.score * 100),
      ]),
    );
    const errors = result.lhr.runtimeError ? [result.lhr.runtimeError.message] : [];
    console.log(JSON.stringify({ url, scores, errors }));
  }
} finally {
  await chrome.kill();
}
