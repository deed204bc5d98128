// Run by web-browser-test.sh: node web_browser_test.cjs URL SCREENSHOT
"use strict";
const puppeteer = require("puppeteer-core");
const [url, shot] = process.argv.slice(2);

function check(cond, msg) {
  if (!cond) throw new Error("FAIL: " + msg);
  console.log("ok   " + msg);
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--window-size=1200,800"],
    defaultViewport: { width: 1200, height: 800 },
  });
  const requests = [];
  try {
    const page = await browser.newPage();
    page.on("request", (r) => requests.push(r.url()));
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: "networkidle0" });
    const tables = await page.$$eval("#table option", (os) => os.map((o) => o.value));
    check(tables.join(",") === "pets,w2v", "the table list shows pets and w2v: " + tables);

    // A query typed and submitted.
    await page.select("#table", "w2v");
    await page.select("#k", "10");
    await page.type("#q", "python");
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.querySelectorAll("#list li").length === 10);
    const words = await page.$$eval("#list li .word", (es) => es.map((e) => e.textContent));
    check(words.length === 10 && !words.includes("python"), "10 neighbours of python listed: " + words.join(" "));
    const circles = await page.$$eval("#map circle", (cs) => cs.length);
    check(circles === 11, "the map has the query and its 10 neighbours: " + circles);
    check(await page.$("#map circle.center") !== null, "the query word is marked on the map");
    const labels = await page.$$eval("#map text", (ts) => ts.map((t) => t.textContent));
    check(labels.includes("python"), "the map labels the query word: " + labels.join(" "));
    const statusText = await page.$eval("#status", (e) => e.textContent);
    check(/10 neighbours of “python” in w2v \(\d+\.\d ms/.test(statusText), "the status line: " + statusText);
    check(decodeURIComponent(await page.evaluate(() => location.hash)) === "#w2v/python", "the address names the query");
    await page.screenshot({ path: shot });
    console.log("screenshot " + shot);

    // Zoom with the wheel: the points move apart around the cursor.
    const before = await page.$$eval("#map circle", (cs) => cs.map((c) => [+c.getAttribute("cx"), +c.getAttribute("cy")]));
    const box = await (await page.$("#map")).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel({ deltaY: -400 });
    await page.waitForFunction((b) => {
      const c = document.querySelector("#map circle");
      return c && +c.getAttribute("cx") !== b;
    }, {}, before[0][0]);
    const after = await page.$$eval("#map circle", (cs) => cs.map((c) => [+c.getAttribute("cx"), +c.getAttribute("cy")]));
    const spread = (ps) => Math.max(...ps.map((p) => p[0])) - Math.min(...ps.map((p) => p[0]));
    check(spread(after) > spread(before) * 1.3, `the wheel zooms in (${spread(before).toFixed(0)} → ${spread(after).toFixed(0)} px)`);

    // Pan by dragging an empty spot.
    await page.mouse.move(box.x + 20, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 120, box.y + 70, { steps: 5 });
    await page.mouse.up();
    const panned = await page.$$eval("#map circle", (cs) => [+cs[0].getAttribute("cx"), +cs[0].getAttribute("cy")]);
    check(Math.abs(panned[0] - after[0][0] - 100) < 2 && Math.abs(panned[1] - after[0][1] - 50) < 2, "dragging pans the map");

    // Double-click resets; clicking a neighbour's point re-centres on it.
    await page.mouse.click(box.x + 5, box.y + 5, { clickCount: 2 });
    const target = words[0];
    await page.evaluate((w) => {
      const c = [...document.querySelectorAll("#map circle")].find((c) => c.dataset.word === w);
      c.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }, target);
    await page.waitForFunction((w) => document.querySelector("#list-title").textContent.includes(w), {}, target);
    const centre = await page.$eval("#map circle.center", (c) => c.dataset.word);
    check(centre === target, "clicking " + target + " re-centres the map on it");

    // Switch tables.
    await page.select("#table", "pets");
    await page.$eval("#q", (e) => (e.value = ""));
    await page.type("#q", "cat");
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#list-title").textContent.includes("cat"));
    const pets = await page.$$eval("#list li .word", (es) => es.map((e) => e.textContent));
    check(pets[0] === "dog" && pets.length === 4, "pets: the neighbours of cat, dog first: " + pets.join(" "));

    // An unknown word is said, not crashed on.
    await page.$eval("#q", (e) => (e.value = ""));
    await page.type("#q", "zebra");
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#status").classList.contains("error"));
    check(/no word of "zebra"/.test(await page.$eval("#status", (e) => e.textContent)), "an unknown word shows an error");

    check(errors.length === 0, "no script errors: " + errors.join("; "));
    const foreign = requests.filter((r) => !r.startsWith(url));
    check(foreign.length === 0, "nothing fetched from elsewhere: " + foreign.join(" "));
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
