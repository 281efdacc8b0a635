import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FEATURES } from "./algorithm.js";
import { type AnalysedQuery, analyseQuery, type MatchEntity, matchEntity } from "./subject.js";

const query = (birthDates: string[], countries: string[] = []): AnalysedQuery => ({
  ...analyseQuery({ names: ["Pavel Karpov"], schema: "Person" }),
  birthDates,
  countries,
});
const listed = (birthDate: string[], country: string[] = []): MatchEntity =>
  matchEntity({
    id: "x",
    schema: "Person",
    properties: { name: ["Pavel Karpov"], birthDate, country },
    datasets: [],
    referents: [],
  });
const exact = (a: string[], b: string[]): number => FEATURES.dob_exact_match(query(a), listed(b)).value;
const disjoint = (a: string[], b: string[]): number => FEATURES.dob_year_disjoint(query(a), listed(b)).value;

describe("birth date features", () => {
  it("the same day, or day and month swapped, is an exact match; a year or month alone is not", () => {
    assert.equal(exact(["1972-03-14"], ["1972-03-14"]), 1);
    assert.equal(exact(["1972-03-04"], ["1972-04-03"]), 1);
    assert.equal(exact(["1972-03-04"], ["1973-04-03"]), 0);
    assert.equal(exact(["1972"], ["1972-03-14"]), 0);
    assert.equal(exact(["1972-03-14"], ["1972-03-15", "1972-03-14"]), 1);
  });
  it("years more than one apart are disjoint, at the precision both have", () => {
    assert.equal(disjoint(["1972-03-14"], ["1975-01-01"]), 1);
    assert.equal(disjoint(["1972-03-14"], ["1973-01-01"]), 0);
    assert.equal(disjoint(["1972"], ["1972-11-30"]), 0);
    assert.equal(disjoint(["1972-03"], ["1980", "1972-03-02"]), 0);
    assert.equal(disjoint([], ["1972"]), 0);
    const r = FEATURES.dob_year_disjoint(query(["1950-01-01"]), listed(["1972-03-14", "1980"]));
    assert.equal(r.detail, "DOB 1950-01-01 vs 1972-03-14/1980");
  });
  it("countries in common clear the country conflict; none in common say which", () => {
    assert.equal(FEATURES.country_disjoint(query([], ["ru"]), listed([], ["ru", "by"])).value, 0);
    const r = FEATURES.country_disjoint(query([], ["ru"]), listed([], ["ua"]));
    assert.equal(r.value, 1);
    assert.equal(r.detail, "country ru vs ua");
  });
});
