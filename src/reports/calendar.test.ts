import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBusinessDays, federalHolidays, isBusinessDay } from "./calendar.js";

const observed = (year: number) => federalHolidays(year).map((h) => h.observed);

describe("US federal holidays", () => {
  it("2024: every rule lands on its day", () => {
    assert.deepEqual(observed(2024).sort(), [
      "2024-01-01",
      "2024-01-15", // MLK: third Monday
      "2024-02-19", // Washington: third Monday
      "2024-05-27", // Memorial: last Monday
      "2024-06-19",
      "2024-07-04",
      "2024-09-02", // Labor: first Monday
      "2024-10-14", // Columbus: second Monday
      "2024-11-11",
      "2024-11-28", // Thanksgiving: fourth Thursday
      "2024-12-25",
    ]);
  });
  for (const [day, obs, why] of [
    ["2021-07-04", "2021-07-05", "Sunday → Monday"],
    ["2020-07-04", "2020-07-03", "Saturday → Friday"],
    ["2022-06-19", "2022-06-20", "Juneteenth on a Sunday"],
    ["2022-01-01", "2021-12-31", "New Year's Day on a Saturday is observed in the year before"],
  ] as const) {
    it(`${day} is observed on ${obs} (${why})`, () => {
      const year = Number(obs.slice(0, 4));
      const h = federalHolidays(year).find((x) => x.date === day);
      assert.equal(h?.observed, obs);
      assert.equal(isBusinessDay(obs), false);
    });
  }
  it("2022 has no second New Year's Day and 2020 no Juneteenth", () => {
    assert.equal(federalHolidays(2022).filter((h) => h.name === "New Year's Day").length, 0);
    assert.equal(
      federalHolidays(2020).some((h) => h.name.startsWith("Juneteenth")),
      false,
    );
    assert.equal(isBusinessDay("2022-01-03"), true);
  });
});

describe("10 business days", () => {
  for (const [from, due, why] of [
    ["2024-03-04", "2024-03-18", "two plain weeks"],
    ["2024-11-20", "2024-12-05", "over Thanksgiving"],
    ["2024-12-20", "2025-01-07", "over Christmas and New Year"],
    ["2021-06-30", "2021-07-15", "over 4 July observed on Monday 5 July"],
    ["2024-05-25", "2024-06-10", "from a Saturday, over Memorial Day"],
  ] as const) {
    it(`${from} → ${due} (${why})`, () => assert.equal(addBusinessDays(from, 10), due));
  }
});
