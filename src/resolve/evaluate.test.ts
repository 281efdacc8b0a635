import assert from "node:assert/strict";
import { test } from "node:test";
import { matchEntity } from "../match/subject.js";
import { add, makeEntity } from "../model/entity.js";
import type { Designee, Key } from "./designees.js";
import { scoreResolution } from "./evaluate.js";

function designee(id: string, name: string, dob: string, keys: Key[]): Designee {
  const e = makeEntity("Person", id, id.slice(0, id.indexOf(":")));
  add(e, "name", name);
  add(e, "birthDate", dob);
  return { entity: e, match: matchEntity(e), designations: [], keys };
}

// One person the UK and UN link by a UN reference and the US lists with a passport only (the
// numbers cannot judge US against the other two); two people of one name and birth date whose
// passports differ (the numbers can).
const lists = [
  designee("us_ofac_sdn:1", "PETROV, Ivan Sergeyevich", "1970-01-01", [{ kind: "passport", value: "P100" }]),
  designee("gb_fcdo_sanctions:1", "IVAN SERGEYEVICH PETROV", "1970-01-01", [{ kind: "un", value: "QDI.1" }]),
  designee("un_sc_sanctions:QDi.1", "IVAN SERGEYEVICH PETROV", "1970-01-01", [
    { kind: "un", value: "QDI.1" },
  ]),
  designee("eu_fsf:2", "Olga Smirnova", "1980-02-02", [{ kind: "passport", value: "A200" }]),
  designee("us_ofac_sdn:2", "SMIRNOVA, Olga", "1980-02-02", [{ kind: "passport", value: "B300" }]),
];

test("with every number, the differing passports keep the two Olgas apart; US–UN pairs go unjudged", () => {
  const r = scoreResolution(lists);
  assert.equal(r.goldPairs, 1);
  assert.equal(r.found, 1);
  assert.equal(r.mergedPairs, 3);
  assert.equal(r.unjudged, 2);
  assert.equal(r.wrong, 0);
  assert.equal(r.precision, 1);
  assert.equal(r.strictPrecision, 1 / 3);
});

test("with the numbers withheld, names and dates merge the Olgas, and the gold counts it wrong", () => {
  const r = scoreResolution(lists, { withhold: true });
  assert.equal(r.wrong, 1);
  assert.equal(r.unjudged, 2);
  assert.equal(r.mergedPairs, 4);
  assert.equal(r.precision, 1 / 2);
});
