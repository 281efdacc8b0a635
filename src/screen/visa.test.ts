// Visa screening: bodies checked field by field; decisions on the real OFAC list (a MAGNIT
// designation) and on hand-made entities for the regimes the real list cannot show.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InterdictError } from "../errors.js";
import { ingest } from "../ingest/ingest.js";
import { Matcher } from "../match/matcher.js";
import { matchEntity } from "../match/subject.js";
import type { Entity } from "../model/entity.js";
import { SqliteStore } from "../store/sqlite.js";
import { parseVisaApplicant, regimesOf, sanctionsFromStore, screenVisa, type VisaApplicant } from "./visa.js";

const SDN = "../shared/data/lists/us_ofac_sdn/2024-05-03";

function fails(body: unknown): InterdictError {
  try {
    parseVisaApplicant(body);
  } catch (e) {
    assert.ok(e instanceof InterdictError, String(e));
    return e;
  }
  assert.fail(`accepted ${JSON.stringify(body)}`);
}

describe("parseVisaApplicant", () => {
  it("reads every field the contract names, countries and gender normalised", () => {
    const a = parseVisaApplicant({
      names: ["Pavel Karpov", " Павел Карпов "],
      birth_date: "1977-08-27",
      nationalities: ["Russia", "RU"],
      passport: { number: "71 1234567", country: "RUS" },
      gender: "M",
    });
    assert.deepEqual(a, {
      names: ["Pavel Karpov", "Павел Карпов"],
      birthDate: "1977-08-27",
      nationalities: ["ru"],
      passport: { number: "71 1234567", country: "ru" },
      gender: "male",
    });
  });

  it("takes a partial birth date and no optional field", () => {
    assert.deepEqual(parseVisaApplicant({ names: ["A B"], birth_date: "1977" }), {
      names: ["A B"],
      birthDate: "1977",
      nationalities: [],
    });
  });

  const BAD: [string, unknown, string][] = [
    ["not an object", ["Pavel Karpov"], "body"],
    ["null", null, "body"],
    ["no names", { birth_date: "1977-08-27" }, "names"],
    ["empty names", { names: [] }, "names"],
    ["names a string", { names: "Pavel Karpov" }, "names"],
    ["blank name", { names: ["Pavel", "  "] }, "names[1]"],
    ["name not a string", { names: [42] }, "names[0]"],
    ["name too long", { names: ["x".repeat(301)] }, "names[0]"],
    ["date in another format", { names: ["A B"], birth_date: "27/08/1977" }, "birth_date"],
    ["date that does not exist", { names: ["A B"], birth_date: "1977-02-30" }, "birth_date"],
    ["nationalities a string", { names: ["A B"], nationalities: "ru" }, "nationalities"],
    ["unknown country", { names: ["A B"], nationalities: ["ru", "Atlantis"] }, "nationalities[1]"],
    ["passport a string", { names: ["A B"], passport: "123" }, "passport"],
    ["passport without a number", { names: ["A B"], passport: { country: "ru" } }, "passport.number"],
    ["passport number of punctuation", { names: ["A B"], passport: { number: "--" } }, "passport.number"],
    [
      "passport country unknown",
      { names: ["A B"], passport: { number: "X123", country: "ZZ" } },
      "passport.country",
    ],
    [
      "passport with a stray field",
      { names: ["A B"], passport: { number: "X123", expiry: "2030" } },
      "passport.expiry",
    ],
    ["gender unknown", { names: ["A B"], gender: "yes" }, "gender"],
    ["unknown field (a typo)", { names: ["A B"], birthdate: "1977-08-27" }, "birthdate"],
  ];
  for (const [what, body, field] of BAD) {
    it(`refuses ${what}, naming ${field}`, () => {
      const e = fails(body);
      assert.equal(e.code, "INTERDICT_E_INPUT");
      assert.equal(e.where.field, field);
      assert.match(e.message, new RegExp(field.replace(/[[\].]/g, "\\$&")));
    });
  }
});

describe("screenVisa on the real OFAC list (2024-05-03)", () => {
  const store = new SqliteStore(":memory:");
  let matcher: Matcher;
  before(async () => {
    await ingest(store, [SDN], { force: true });
    matcher = await Matcher.fromStore(store);
  });
  after(() => store.close());

  const screen = (a: VisaApplicant) => screenVisa(a, matcher);

  it("refuses a MAGNIT-designated person whose birth date agrees, citing the Magnitsky Act", () => {
    const s = screen(
      parseVisaApplicant({ names: ["Pavel Karpov"], birth_date: "1977-08-27", nationalities: ["ru"] }),
    );
    assert.equal(s.decision, "refuse");
    const hit = s.hits.find((h) => h.entity_id === "us_ofac_sdn:15880");
    assert.ok(hit, JSON.stringify(s.hits.map((h) => h.entity_id)));
    assert.equal(hit.confirmed, true);
    assert.equal(hit.travel_ban, "yes");
    assert.deepEqual(hit.programs, ["MAGNIT"]);
    assert.match(hit.legal_grounds.join("\n"), /Pub\. L\. 112-208 §405/);
    assert.ok(hit.explanation.some((e) => e.startsWith("name_match")));
    assert.ok(hit.explanation.includes("corroborated: birth date 1977-08-27 is the listed one"));
    assert.match(s.reason, /us_ofac_sdn:15880/);
  });

  it("matches on any of the applicant's names (a former name here)", () => {
    const s = screen(
      parseVisaApplicant({ names: ["Pavel Ivanov", "Pavel Karpov"], birth_date: "1977-08-27" }),
    );
    assert.equal(s.decision, "refuse");
    assert.equal(s.hits[0]?.entity_id, "us_ofac_sdn:15880");
  });

  it("refers a near miss: a spelling variant with nothing to corroborate it", () => {
    const s = screen(parseVisaApplicant({ names: ["Pavel Karpow"] }));
    assert.equal(s.decision, "refer");
    const hit = s.hits.find((h) => h.entity_id === "us_ofac_sdn:15880");
    assert.equal(hit?.confirmed, false);
    assert.match(hit?.assessment ?? "", /not corroborated/);
    assert.match(hit?.legal_grounds.join("\n") ?? "", /§405/, "the ground is shown for the officer");
  });

  it("refers the same name born ten years apart: the evidence against it is named", () => {
    const s = screen(parseVisaApplicant({ names: ["Pavel Karpov"], birth_date: "1987-08-27" }));
    const hit = s.hits.find((h) => h.entity_id === "us_ofac_sdn:15880");
    assert.equal(s.decision, "refer");
    assert.equal(hit?.confirmed, false);
    assert.match(hit?.assessment ?? "", /dob_year_disjoint/);
  });

  it("clears an applicant no list names", () => {
    const s = screen(
      parseVisaApplicant({
        names: ["Maartje van Houten"],
        birth_date: "1991-03-14",
        nationalities: ["nl"],
        gender: "f",
      }),
    );
    assert.equal(s.decision, "clear");
    assert.deepEqual(s.hits, []);
  });

  it("the store's measures lookup finds what the OFAC list states (no travel-ban wording)", async () => {
    const lookup = await sanctionsFromStore(store);
    assert.equal(lookup("us_ofac_sdn:15880"), undefined, "Karpov's Sanction states no provisions");
  });
});

describe("screenVisa: regimes and corroboration (hand-made entities)", () => {
  const person = (id: string, dataset: string, props: Record<string, string[]>): Entity => ({
    id: `${dataset}:${id}`,
    schema: "Person",
    properties: props,
    datasets: [dataset],
    referents: [],
  });
  const entities: [Entity, string[]][] = [
    [person("1", "us_ofac_sdn", { name: ["HADDAD, Karim Youssef"], birthDate: ["1970-01-05"] }), ["SDGT"]],
    [
      person("2", "us_ofac_sdn", { name: ["OKONJO, Chidubem Ifeanyi"], passportNumber: ["A07654321"] }),
      ["GLOMAG"],
    ],
    [
      person("GHR9001", "gb_fcdo_sanctions", { name: ["Tomasz Wiśniewski-Kraj"] }),
      ["The Global Human Rights Sanctions Regulations 2020"],
    ],
    [
      person("GHR9002", "gb_fcdo_sanctions", { name: ["Oleksandra Pryhodko"] }),
      ["The Global Human Rights Sanctions Regulations 2020"],
    ],
    [
      person("3", "us_ofac_sdn", {
        name: ["BERGSTROM, Annika"],
        birthDate: ["1965-06-30"],
        gender: ["female"],
      }),
      ["GLOMAG"],
    ],
  ];
  const matcher = new Matcher(entities.map(([e, p]) => matchEntity(e, p)));
  const provisions: Record<string, string[]> = {
    "gb_fcdo_sanctions:GHR9001": ["Asset freeze", "Travel Ban"],
    "gb_fcdo_sanctions:GHR9002": ["Asset freeze"],
  };
  const sanctions = (id: string) => {
    const p = provisions[id];
    return p ? [{ program: "The Global Human Rights Sanctions Regulations 2020", provisions: p }] : undefined;
  };

  it("refers a confirmed SDGT person: asset freeze only, said in the hit", () => {
    const s = screenVisa(
      parseVisaApplicant({ names: ["Karim Youssef Haddad"], birth_date: "1970-01-05" }),
      matcher,
    );
    assert.equal(s.decision, "refer");
    const hit = s.hits[0];
    assert.equal(hit?.confirmed, true);
    assert.equal(hit?.travel_ban, "no");
    assert.match(hit?.legal_grounds[0] ?? "", /asset freeze only \(no travel ban in this programme\)/);
    assert.match(hit?.assessment ?? "", /without a travel ban/);
  });

  it("refuses on the listed passport number with a transliterated name (GLOMAG)", () => {
    const s = screenVisa(
      parseVisaApplicant({ names: ["Chidubem Okonjo"], passport: { number: "a0765 4321" } }),
      matcher,
    );
    assert.equal(s.decision, "refuse");
    assert.match(s.hits[0]?.legal_grounds[0] ?? "", /22 U\.S\.C\. 10102\(b\)\(1\).*E\.O\. 13818 §2/);
    assert.ok(s.hits[0]?.explanation.some((e) => /passport a0765 4321 is the listed one/.test(e)));
  });

  it("a passport number alone, with an unrelated name, is only referred", () => {
    const s = screenVisa(
      parseVisaApplicant({ names: ["John Smith"], passport: { number: "A07654321" } }),
      matcher,
    );
    assert.equal(s.decision, "refer");
    assert.equal(s.hits[0]?.entity_id, "us_ofac_sdn:2");
    assert.equal(s.hits[0]?.confirmed, false);
  });

  it("a gender that contradicts the listing keeps a name-and-date match at refer", () => {
    const s = screenVisa(
      parseVisaApplicant({ names: ["Annika Bergstrom"], birth_date: "1965-06-30", gender: "male" }),
      matcher,
    );
    assert.equal(s.decision, "refer");
    assert.match(s.hits[0]?.assessment ?? "", /gender_mismatch/);
  });

  it("UK: the designation's own measures decide (Travel Ban → refuse; asset freeze only → refer)", () => {
    const banned = screenVisa(parseVisaApplicant({ names: ["Tomasz Wisniewski-Kraj"] }), matcher, {
      sanctions,
    });
    // Names alone never confirm: there is nothing to corroborate, so even a travel ban is referred…
    assert.equal(banned.decision, "refer");
    assert.equal(banned.hits[0]?.travel_ban, "yes");
    assert.match(banned.hits[0]?.legal_grounds[0] ?? "", /travel ban imposed by this designation.*s\.4/);
    const frozen = screenVisa(parseVisaApplicant({ names: ["Oleksandra Pryhodko"] }), matcher, { sanctions });
    assert.equal(frozen.hits[0]?.travel_ban, "no");
    assert.match(
      frozen.hits[0]?.legal_grounds[0] ?? "",
      /asset freeze only \(this designation imposes no travel ban\)/,
    );
    const unknown = screenVisa(parseVisaApplicant({ names: ["Oleksandra Pryhodko"] }), matcher);
    assert.equal(unknown.hits[0]?.travel_ban, "unknown");
    assert.match(unknown.hits[0]?.legal_grounds[0] ?? "", /not in the list data: officer to check/);
  });

  it("regimesOf: every list in the table, and one that is not, gets a ground", () => {
    const table: [string, string, string][] = [
      [
        "ca_dfatd_sema_sanctions",
        "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)",
        "yes",
      ],
      ["eu_fsf", "HR", "yes"],
      ["eu_fsf", "TERR", "no"],
      ["un_sc_sanctions", "Al-Qaida", "yes"],
      ["un_sc_sanctions", "Iraq", "no"],
      ["us_ofac_cons", "NS-PLC", "no"],
      ["us_ofac_sdn", "SOME-NEW-PROGRAM", "unknown"],
      ["opensanctions", "UA-WS-MARE", "unknown"],
      ["xx_unknown_list", "X", "unknown"],
    ];
    for (const [dataset, program, ban] of table) {
      const [g] = regimesOf({ id: "x", datasets: [dataset], programs: [program] });
      assert.equal(g?.travelBan, ban, `${dataset} ${program}`);
      assert.ok((g?.ground.length ?? 0) > 20, g?.ground);
    }
  });
});
