// The schemata, as data: a FollowTheMoney-compatible subset covering what the official lists
// say. Each schema names its parent(s); properties are inherited. A property's `type` decides
// how its values are cleaned (see types.ts) and whether matching may use it.

export type PropertyType =
  | "name"
  | "string"
  | "text"
  | "date"
  | "country"
  | "identifier"
  | "gender"
  | "address"
  | "entity"
  | "url"
  | "email"
  | "phone"
  | "number"
  | "topic";

export interface PropertySpec {
  readonly type: PropertyType;
  /** For `entity` properties: the schema the value must be. */
  readonly range?: string;
}

export interface SchemaSpec {
  readonly extends: readonly string[];
  readonly abstract?: boolean;
  /** Can be matched against a screening subject (persons, companies, vessels…). */
  readonly matchable?: boolean;
  /** Properties whose first value is the entity's caption, in order of preference. */
  readonly caption?: readonly string[];
  readonly properties: Readonly<Record<string, PropertySpec>>;
}

const name: PropertySpec = { type: "name" };
const str: PropertySpec = { type: "string" };
const text: PropertySpec = { type: "text" };
const date: PropertySpec = { type: "date" };
const country: PropertySpec = { type: "country" };
const ident: PropertySpec = { type: "identifier" };
const url: PropertySpec = { type: "url" };
const entity = (range: string): PropertySpec => ({ type: "entity", range });

export const SCHEMATA: Readonly<Record<string, SchemaSpec>> = {
  Thing: {
    extends: [],
    abstract: true,
    caption: ["name"],
    properties: {
      name,
      alias: name,
      weakAlias: name,
      previousName: name,
      abbreviation: name,
      summary: text,
      description: text,
      notes: text,
      country,
      topics: { type: "topic" },
      program: str,
      programId: ident,
      address: { type: "address" },
      addressEntity: entity("Address"),
      sourceUrl: url,
      wikidataId: ident,
      keywords: str,
      createdAt: date,
      modifiedAt: date,
      retrievedAt: date,
      uniqueEntityId: ident,
    },
  },
  LegalEntity: {
    extends: ["Thing"],
    matchable: true,
    properties: {
      email: { type: "email" },
      phone: { type: "phone" },
      website: url,
      legalForm: str,
      incorporationDate: date,
      dissolutionDate: date,
      jurisdiction: country,
      mainCountry: country,
      registrationNumber: ident,
      idNumber: ident,
      taxNumber: ident,
      vatCode: ident,
      innCode: ident,
      ogrnCode: ident,
      kppCode: ident,
      okpoCode: ident,
      leiCode: ident,
      permId: ident,
      swiftBic: ident,
      dunsCode: ident,
      imoNumber: ident,
      status: str,
      sector: str,
      classification: str,
      cryptoWallets: ident,
    },
  },
  Person: {
    extends: ["LegalEntity"],
    matchable: true,
    properties: {
      title: str,
      firstName: name,
      secondName: name,
      middleName: name,
      fatherName: name,
      motherName: name,
      lastName: name,
      nameSuffix: name,
      birthDate: date,
      birthPlace: str,
      birthCountry: country,
      deathDate: date,
      position: str,
      nationality: country,
      citizenship: country,
      passportNumber: ident,
      gender: { type: "gender" },
      religion: str,
      political: str,
      education: str,
      ethnicity: str,
    },
  },
  Organization: {
    extends: ["LegalEntity"],
    matchable: true,
    properties: {},
  },
  Company: {
    extends: ["Organization"],
    matchable: true,
    properties: {
      capital: str,
      ticker: ident,
      isinCode: ident,
    },
  },
  Vehicle: {
    extends: ["Thing"],
    abstract: true,
    matchable: true,
    properties: {
      registrationNumber: ident,
      type: str,
      model: str,
      owner: entity("LegalEntity"),
      operator: entity("LegalEntity"),
      buildDate: date,
      registrationDate: date,
    },
  },
  Vessel: {
    extends: ["Vehicle"],
    matchable: true,
    properties: {
      imoNumber: ident,
      mmsi: ident,
      callSign: ident,
      flag: country,
      pastFlags: country,
      pastTypes: str,
      tonnage: { type: "number" },
      grossRegisteredTonnage: { type: "number" },
      navigationArea: str,
      nameChangeDate: date,
    },
  },
  Airplane: {
    extends: ["Vehicle"],
    matchable: true,
    properties: {
      serialNumber: ident,
      icaoCode: ident,
      manufacturer: str,
    },
  },
  Address: {
    extends: ["Thing"],
    caption: ["full", "street", "city"],
    properties: {
      full: { type: "address" },
      remarks: text,
      postOfficeBox: str,
      street: str,
      street2: str,
      city: str,
      postalCode: str,
      region: str,
      state: str,
      latitude: { type: "number" },
      longitude: { type: "number" },
    },
  },
  Interval: {
    extends: [],
    abstract: true,
    properties: {
      startDate: date,
      endDate: date,
      date,
      summary: text,
      description: text,
      recordId: ident,
      sourceUrl: url,
      modifiedAt: date,
      publisher: str,
      country,
    },
  },
  Sanction: {
    extends: ["Interval"],
    caption: ["program", "authority"],
    properties: {
      entity: entity("Thing"),
      authority: str,
      authorityId: ident,
      unscId: ident,
      program: str,
      programId: ident,
      programUrl: url,
      provisions: str,
      status: str,
      duration: str,
      reason: text,
      listingDate: date,
    },
  },
  Identification: {
    extends: ["Interval"],
    caption: ["number"],
    properties: {
      holder: entity("LegalEntity"),
      type: str,
      number: ident,
      authority: str,
    },
  },
  Passport: {
    extends: ["Identification"],
    caption: ["number"],
    properties: {
      passportNumber: ident,
      surname: name,
      givenName: name,
      birthDate: date,
      birthPlace: str,
      gender: { type: "gender" },
      personalNumber: ident,
    },
  },
  Ownership: {
    extends: ["Interval"],
    caption: ["role"],
    properties: {
      owner: entity("LegalEntity"),
      asset: entity("Thing"),
      percentage: str,
      sharesCount: str,
      sharesValue: str,
      sharesCurrency: str,
      sharesType: str,
      ownershipType: str,
      role: str,
    },
  },
  Directorship: {
    extends: ["Interval"],
    caption: ["role"],
    properties: {
      director: entity("LegalEntity"),
      organization: entity("Organization"),
      role: str,
      secretary: str,
    },
  },
  Family: {
    extends: ["Interval"],
    caption: ["relationship"],
    properties: {
      person: entity("Person"),
      relative: entity("Person"),
      relationship: str,
    },
  },
  Associate: {
    extends: ["Interval"],
    caption: ["relationship"],
    properties: {
      person: entity("Person"),
      associate: entity("Person"),
      relationship: str,
    },
  },
  UnknownLink: {
    extends: ["Interval"],
    caption: ["role"],
    properties: {
      subject: entity("Thing"),
      object: entity("Thing"),
      role: str,
    },
  },
};

/** FtM spells the aircraft schema `Airplane`; "Aircraft" is accepted as its synonym. */
export const SCHEMA_ALIASES: Readonly<Record<string, string>> = { Aircraft: "Airplane" };
