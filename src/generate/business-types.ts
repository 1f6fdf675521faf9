/**
 * The kinds of business in the world and how each earns and spends: who pays it (consumers by
 * card, other businesses by invoice), its merchant category code (ISO 18245), its usual ticket,
 * how much of its takings arrive in cash, and whether it serves the whole country (a utility, an
 * online classified-ad site) or one city.
 */
export interface BusinessProfile {
  type: string;
  /** Share of local businesses of this type (national ones come in fixed numbers). */
  weight: number;
  mcc: string | null;
  /** Consumers pay it by card (a merchant). */
  consumer: boolean;
  /** Median and log-sigma of one consumer ticket, USD. */
  ticket: [number, number];
  /** Share of takings received in cash and deposited at a branch. */
  cashShare: number;
  /** Serves every city: a fixed number of them, not a share of local businesses. */
  national: number;
  /** Median staff. */
  staff: number;
}

export const BUSINESS_PROFILES: readonly BusinessProfile[] = [
  {
    type: "restaurant",
    weight: 14,
    mcc: "5812",
    consumer: true,
    ticket: [28, 0.6],
    cashShare: 0.3,
    national: 0,
    staff: 12,
  },
  {
    type: "grocery",
    weight: 6,
    mcc: "5411",
    consumer: true,
    ticket: [45, 0.7],
    cashShare: 0.15,
    national: 0,
    staff: 20,
  },
  {
    type: "retail",
    weight: 12,
    mcc: "5651",
    consumer: true,
    ticket: [40, 0.8],
    cashShare: 0.1,
    national: 0,
    staff: 8,
  },
  {
    type: "pharmacy",
    weight: 3,
    mcc: "5912",
    consumer: true,
    ticket: [22, 0.7],
    cashShare: 0.05,
    national: 0,
    staff: 10,
  },
  {
    type: "hotel",
    weight: 2,
    mcc: "7011",
    consumer: true,
    ticket: [160, 0.4],
    cashShare: 0.02,
    national: 0,
    staff: 30,
  },
  {
    type: "motel",
    weight: 2,
    mcc: "7011",
    consumer: true,
    ticket: [75, 0.3],
    cashShare: 0.25,
    national: 0,
    staff: 5,
  },
  {
    type: "massage-salon",
    weight: 2,
    mcc: "7297",
    consumer: true,
    ticket: [70, 0.3],
    cashShare: 0.5,
    national: 0,
    staff: 4,
  },
  {
    type: "nail-salon",
    weight: 3,
    mcc: "7230",
    consumer: true,
    ticket: [40, 0.4],
    cashShare: 0.45,
    national: 0,
    staff: 5,
  },
  {
    type: "auto-repair",
    weight: 4,
    mcc: "7538",
    consumer: true,
    ticket: [260, 0.8],
    cashShare: 0.2,
    national: 0,
    staff: 6,
  },
  {
    type: "travel-agency",
    weight: 1.5,
    mcc: "4722",
    consumer: true,
    ticket: [700, 0.6],
    cashShare: 0,
    national: 0,
    staff: 4,
  },
  {
    type: "money-services",
    weight: 1.5,
    mcc: "4829",
    consumer: false,
    ticket: [300, 0.6],
    cashShare: 0.9,
    national: 0,
    staff: 3,
  },
  {
    type: "landlord",
    weight: 6,
    mcc: null,
    consumer: false,
    ticket: [1400, 0.35],
    cashShare: 0,
    national: 0,
    staff: 2,
  },
  {
    type: "staffing-agency",
    weight: 2,
    mcc: null,
    consumer: false,
    ticket: [0, 0],
    cashShare: 0,
    national: 0,
    staff: 40,
  },
  {
    type: "trucking",
    weight: 3,
    mcc: "4214",
    consumer: false,
    ticket: [0, 0],
    cashShare: 0,
    national: 0,
    staff: 15,
  },
  {
    type: "construction",
    weight: 5,
    mcc: null,
    consumer: false,
    ticket: [0, 0],
    cashShare: 0.05,
    national: 0,
    staff: 18,
  },
  {
    type: "cleaning",
    weight: 3,
    mcc: null,
    consumer: false,
    ticket: [0, 0],
    cashShare: 0.05,
    national: 0,
    staff: 10,
  },
  {
    type: "import-export",
    weight: 2,
    mcc: null,
    consumer: false,
    ticket: [0, 0],
    cashShare: 0,
    national: 0,
    staff: 6,
  },
  {
    type: "office",
    weight: 12,
    mcc: null,
    consumer: false,
    ticket: [0, 0],
    cashShare: 0,
    national: 0,
    staff: 25,
  },
  // Serving the whole country: counts, not shares.
  {
    type: "utility",
    weight: 0,
    mcc: "4900",
    consumer: false,
    ticket: [120, 0.4],
    cashShare: 0,
    national: 4,
    staff: 200,
  },
  {
    type: "payroll-processor",
    weight: 0,
    mcc: null,
    consumer: false,
    ticket: [0, 0],
    cashShare: 0,
    national: 3,
    staff: 80,
  },
  {
    type: "classified-ads",
    weight: 0,
    mcc: "7311",
    consumer: true,
    ticket: [25, 0.6],
    cashShare: 0,
    national: 3,
    staff: 20,
  },
  {
    type: "rideshare",
    weight: 0,
    mcc: "4121",
    consumer: true,
    ticket: [18, 0.5],
    cashShare: 0,
    national: 2,
    staff: 50,
  },
  {
    type: "airline",
    weight: 0,
    mcc: "4511",
    consumer: true,
    ticket: [320, 0.5],
    cashShare: 0,
    national: 3,
    staff: 100,
  },
  {
    type: "car-rental",
    weight: 0,
    mcc: "7512",
    consumer: true,
    ticket: [180, 0.5],
    cashShare: 0,
    national: 2,
    staff: 60,
  },
  {
    type: "crypto-exchange",
    weight: 0,
    mcc: "6051",
    consumer: false,
    ticket: [250, 1],
    cashShare: 0,
    national: 2,
    staff: 40,
  },
  {
    type: "prepaid-cards",
    weight: 0,
    mcc: "6540",
    consumer: true,
    ticket: [100, 0.5],
    cashShare: 0,
    national: 1,
    staff: 20,
  },
];

export function profileOf(type: string): BusinessProfile {
  const profile = BUSINESS_PROFILES.find((p) => p.type === type);
  if (!profile) throw new Error(`no business profile "${type}"`);
  return profile;
}

/** Where people spend by card on an ordinary day, with the share of purchases of each kind. */
export const EVERYDAY_SPENDING: readonly [string, number][] = [
  ["grocery", 30],
  ["restaurant", 30],
  ["retail", 16],
  ["pharmacy", 7],
  ["rideshare", 6],
  ["auto-repair", 2],
  ["nail-salon", 3],
  ["hotel", 1.5],
  ["airline", 1],
  ["travel-agency", 0.5],
  ["car-rental", 0.5],
  ["motel", 0.5],
  ["classified-ads", 0.3],
  ["prepaid-cards", 0.2],
  ["massage-salon", 1],
];

/** MCC groups of typologies.md §0 that ordinary living costs fall in (groceries, meals, medicine, clothes). */
export const SUSTENANCE_MCC = new Set(["5411", "5812", "5814", "5912", "5651", "5691", "5699", "5621"]);
