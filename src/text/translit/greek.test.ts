import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { romaniseGreek } from "./greek.js";

/**
 * Greek and Cypriot public figures' name words and the Latin spellings their passports, official
 * sites and the press use; the column on the right names the convention.
 */
const SPELLINGS: readonly (readonly [string, string, string])[] = [
  ["Γεώργιος", "Georgios", "ELOT 743"],
  ["Γεώργιος", "Yeorgios", "popular"],
  ["Παπαδόπουλος", "Papadopoulos", "ELOT 743"],
  ["Παπανδρέου", "Papandreou", "ELOT 743"],
  ["Τσίπρας", "Tsipras", "ELOT 743"],
  ["Αλέξης", "Alexis", "ELOT 743"],
  ["Βαρουφάκης", "Varoufakis", "ELOT 743"],
  ["Γιάνης", "Yanis", "phonetic"],
  ["Βενιζέλος", "Venizelos", "ELOT 743"],
  ["Ευάγγελος", "Evangelos", "ELOT 743: ευ before a voiced letter, γγ"],
  ["Ελευθέριος", "Eleftherios", "ELOT 743: ευ before θ"],
  ["Ευθύμιος", "Efthymios", "ELOT 743"],
  ["Ευθύμιος", "Efthimios", "phonetic"],
  ["Χρήστος", "Christos", "ELOT 743"],
  ["Χρήστος", "Hristos", "phonetic"],
  ["Χρήστος", "Khristos", "BGN/PCGN 1962"],
  ["Δημήτριος", "Dimitrios", "ELOT 743"],
  ["Δημήτριος", "Demetrios", "classical"],
  ["Φίλιππος", "Philippos", "classical"],
  ["Ξενοφών", "Xenophon", "classical"],
  ["Ζολώτας", "Zolotas", "ELOT 743"],
  ["Ιωάννης", "Ioannis", "ELOT 743"],
  ["Γιώργος", "Giorgos", "ELOT 743"],
  ["Γιώργος", "Yiorgos", "popular"],
  ["Παναγιώτης", "Panagiotis", "ELOT 743"],
  ["Παναγιώτης", "Panayiotis", "popular"],
  ["Μαυρογιάννης", "Mavroyiannis", "popular"],
  ["Μπακογιάννη", "Bakogianni", "ELOT 743: μπ at the start"],
  ["Μπακογιάννη", "Bakoyanni", "phonetic"],
  ["Ντόρα", "Dora", "ELOT 743: ντ at the start"],
  ["Αντώνης", "Antonis", "ELOT 743: ντ inside"],
  ["Αγγελική", "Angeliki", "ELOT 743"],
  ["Αικατερίνη", "Aikaterini", "ELOT 743"],
  ["Αικατερίνη", "Ekaterini", "phonetic"],
  ["Σακελλαροπούλου", "Sakellaropoulou", "ELOT 743"],
  ["Οικονόμου", "Oikonomou", "ELOT 743"],
  ["Οικονόμου", "Economou", "classical"],
  ["Νίκος", "Nikos", "ELOT 743"],
  ["Νίκος", "Nicos", "Cypriot"],
  ["Αναστασιάδης", "Anastasiades", "Cypriot"],
  ["Χριστοδουλίδης", "Christodoulides", "Cypriot"],
  ["Κώστας", "Costas", "Cypriot"],
  ["Σταύρος", "Stavros", "ELOT 743: αυ before ρ"],
  ["Γκίκας", "Gkikas", "ELOT 743: γκ"],
  ["Γκίκας", "Gikas", "popular"],
  ["Παπαδόπουλος", "Papadopoylos", "ISO 843 transliteration"],
];

describe("romaniseGreek: spellings documents use", () => {
  for (const [greek, latin, convention] of SPELLINGS) {
    it(`${greek} → ${latin} (${convention})`, () => {
      const forms = romaniseGreek(greek.toLowerCase());
      assert.ok(forms.includes(latin.toLowerCase()), `${latin.toLowerCase()} not in ${forms.join(", ")}`);
    });
  }
});

describe("romaniseGreek: primary form is ELOT 743", () => {
  const cases: readonly (readonly [string, string])[] = [
    ["γεώργιος", "georgios"],
    ["παπαδόπουλος", "papadopoulos"],
    ["ευάγγελος", "evangelos"],
    ["μπακογιάννη", "bakogianni"],
    ["χριστοδουλίδης", "christodoulidis"],
  ];
  for (const [word, primary] of cases) {
    it(`${word} → ${primary}`, () => assert.equal(romaniseGreek(word)[0], primary));
  }
});

describe("romaniseGreek: accents", () => {
  it("accents and breathings are dropped, polytonic as monotonic", () => {
    assert.equal(romaniseGreek("αὐγουστῖνος")[0], "avgoustinos");
    assert.equal(romaniseGreek("ΓΕΏΡΓΙΟΣ".toLowerCase())[0], "georgios");
    assert.deepEqual(romaniseGreek("ΠΑΠΑΔΌΠΟΥΛΟΣ"), romaniseGreek("παπαδόπουλος"));
  });
  it("a diaeresis or an accent on the first vowel keeps two vowels apart", () => {
    assert.ok(!romaniseGreek("ευρωπαϊκή").includes("evropeki"));
    assert.ok(romaniseGreek("ευρωπαϊκή").includes("evropaiki"));
    assert.ok(!romaniseGreek("λάιος").some((f) => f.startsWith("le")));
  });
});

describe("romaniseGreek: output shape", () => {
  it("distinct lower-case ASCII forms, at most 8; nothing to romanise gives none", () => {
    for (const [w] of SPELLINGS) {
      const forms = romaniseGreek(w.toLowerCase());
      assert.ok(forms.length >= 1 && forms.length <= 8, w);
      assert.equal(new Set(forms).size, forms.length, w);
      for (const f of forms) assert.match(f, /^[a-z]+$/, w);
    }
    assert.deepEqual(romaniseGreek(""), []);
    assert.deepEqual(romaniseGreek("΄"), []);
  });
});
