import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { romaniseHan, splitHanName } from "./han.js";

// Chinese names as written in Han on the EU and UK lists (and a few public figures), with Latin
// spellings they appear under, joined and lower-case. A whole name in one token also reads
// given name first, as Western lists often write it ("Junzheng WANG").
const NAMES: [han: string, latin: string[]][] = [
  ["习近平", ["xijinping", "jinpingxi", "hsichinping"]],
  ["习", ["xi", "hsi"]],
  ["近平", ["jinping", "chinping"]],
  ["朱海仑", ["zhuhailun"]],
  ["王君正", ["junzhengwang"]],
  ["王明山", ["mingshanwang"]],
  ["陈明国", ["mingguochen"]],
  ["赵光宗", ["guangzongzhao"]],
  ["倪高彬", ["gaobinni"]],
  ["李晓翠", ["xiaocuili"]],
  ["林仲恒", ["linzhongheng"]],
  ["赵伟", ["weizhao"]],
  ["董勒成", ["donglecheng"]],
  ["雷波", ["bolei"]],
  ["陈志", ["zhichen"]],
  ["尹國駒", ["guojuyin"]],
  ["李添", ["tianli"]],
  ["金铁三", ["jintiesan"]],
  // Wade–Giles, as older and Taiwanese usage writes it.
  ["毛泽东", ["maotsetung"]],
  ["蒋介石", ["chiangchiehshih"]],
  ["周恩来", ["chouenlai"]],
  ["邓小平", ["tenghsiaoping"]],
  // Surnames: their surname reading first, then Cantonese, Hokkien and other usual spellings.
  ["单", ["shan"]],
  ["曾", ["zeng", "tsang"]],
  ["陈", ["chen", "chan", "tan"]],
  ["陳", ["chen", "chan"]],
  ["黄", ["huang", "wong", "ng"]],
  ["李", ["li", "lee"]],
  ["张", ["zhang", "chang", "cheung"]],
  ["張", ["zhang", "cheung"]],
  ["刘", ["liu", "lau"]],
  ["吴", ["wu", "ng"]],
  ["林", ["lin", "lam", "lim"]],
  ["郭", ["guo", "kuo", "kwok"]],
  ["尹", ["yin", "wan"]],
  ["欧阳", ["ouyang", "auyeung"]],
  ["吕", ["lu", "lyu", "lv"]],
];

describe("romaniseHan", () => {
  for (const [han, latin] of NAMES) {
    it(`${han} → ${latin.join(", ")}`, () => {
      const got = romaniseHan(han);
      for (const l of latin) assert.ok(got.includes(l), `${l} not in ${got.join(" ")}`);
    });
  }

  it("gives pinyin first", () => {
    assert.equal(romaniseHan("习近平")[0], "xijinping");
    assert.equal(romaniseHan("单")[0], "shan");
    assert.equal(romaniseHan("近平")[0], "jinping");
  });

  it("returns distinct lower-case ASCII, at most 8", () => {
    for (const [han] of NAMES) {
      const got = romaniseHan(han);
      assert.ok(got.length > 0 && got.length <= 8, han);
      assert.equal(new Set(got).size, got.length, han);
      for (const s of got) assert.match(s, /^[a-z]+$/);
    }
  });

  it("ignores characters outside Han and gives nothing without Han", () => {
    assert.deepEqual(romaniseHan("(金铁三)"), romaniseHan("金铁三"));
    assert.ok(romaniseHan("阿不都·哈克")[0]?.startsWith("abud"));
    assert.deepEqual(romaniseHan(""), []);
    assert.deepEqual(romaniseHan("Xi Jinping"), []);
    assert.deepEqual(romaniseHan("김정은"), []);
    const long = romaniseHan("新疆生产建设兵团公安局".repeat(100));
    assert.ok(long.length > 0 && long.length <= 8);
  });
});

describe("splitHanName", () => {
  const cases: [string, number][] = [
    ["习近平", 1],
    ["陈志", 1],
    ["欧阳修", 2],
    ["司马光", 2],
    ["近平", 0],
    ["习", 0],
    ["新疆生产建设兵团公安局", 0],
  ];
  for (const [han, n] of cases) it(`${han} → ${n}`, () => assert.equal(splitHanName(han), n));
});
