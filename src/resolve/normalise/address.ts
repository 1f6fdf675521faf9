import { foldText, words } from "./text.js";

/**
 * One address line to house number, street and unit, in one written form: street types and unit
 * designators as USPS Publication 28 abbreviates them (Appendix C1 and C2), directionals as
 * N, SW…, ordinal words as numbers (FIFTH → 5TH), PO boxes as "PO BOX n". And postcodes as each
 * country writes them, without spaces (US: the five-digit ZIP). All tables are built once at
 * module load; the parse is a pass over the folded words.
 */

export interface ParsedAddress {
  /** Digits with any one-letter suffix ("12B"); null for PO boxes and lines without one. */
  houseNumber: string | null;
  /** "N MAIN ST", "PO BOX 12". */
  street: string | null;
  /** The unit without its designator ("4B"); several units ("BLDG 5 APT 4B") space-separated. */
  unit: string | null;
}

/**
 * USPS Publication 28, Appendix C1: each standard street suffix abbreviation, then the primary
 * name and the common abbreviations and misspellings it stands for. A few Commonwealth types
 * (CLOSE, GATE) are added, standardised the same way.
 */
const STREET_SUFFIXES = `
ALY ALLEY ALLEE ALLY
ANX ANNEX ANEX ANNX
ARC ARCADE
AVE AVENUE AV AVEN AVENU AVN AVNUE
BYU BAYOU BAYOO
BCH BEACH
BND BEND
BLF BLUFF BLUF
BLFS BLUFFS
BTM BOTTOM BOT BOTTM
BLVD BOULEVARD BOUL BOULV BLV
BR BRANCH BRNCH
BRG BRIDGE BRDGE
BRK BROOK
BRKS BROOKS
BG BURG
BGS BURGS
BYP BYPASS BYPA BYPAS BYPS
CP CAMP CMP
CYN CANYON CANYN CNYN
CPE CAPE
CSWY CAUSEWAY CAUSWA
CTR CENTER CEN CENT CENTR CENTRE CNTER CNTR
CTRS CENTERS
CIR CIRCLE CIRC CIRCL CRCL CRCLE
CIRS CIRCLES
CL CLOSE
CLF CLIFF
CLFS CLIFFS
CLB CLUB
CMN COMMON
CMNS COMMONS
COR CORNER
CORS CORNERS
CRSE COURSE
CT COURT CRT
CTS COURTS
CV COVE
CVS COVES
CRK CREEK
CRES CRESCENT CRSENT CRSNT
CRST CREST
XING CROSSING CRSSNG
XRD CROSSROAD
XRDS CROSSROADS
CURV CURVE
DL DALE
DM DAM
DV DIVIDE DIV DVD
DR DRIVE DRIV DRV
DRS DRIVES
EST ESTATE
ESTS ESTATES
EXPY EXPRESSWAY EXP EXPR EXPRESS EXPW
EXT EXTENSION EXTN EXTNSN
EXTS EXTENSIONS
FALL FALL
FLS FALLS
FRY FERRY FRRY
FLD FIELD
FLDS FIELDS
FLT FLAT
FLTS FLATS
FRD FORD
FRDS FORDS
FRST FOREST FORESTS
FRG FORGE FORG
FRGS FORGES
FRK FORK
FRKS FORKS
FT FORT FRT
FWY FREEWAY FREEWY FRWAY FRWY
GDN GARDEN GARDN GRDEN GRDN
GDNS GARDENS
GATE GATE
GTWY GATEWAY GATEWY GATWAY GTWAY
GLN GLEN
GLNS GLENS
GRN GREEN
GRNS GREENS
GRV GROVE GROV
GRVS GROVES
HBR HARBOR HARB HARBR HRBOR HARBOUR
HBRS HARBORS
HVN HAVEN
HTS HEIGHTS HT
HWY HIGHWAY HIGHWY HIWAY HIWY HWAY
HL HILL
HLS HILLS
HOLW HOLLOW HLLW HOLLOWS HOLWS
INLT INLET
IS ISLAND ISLND
ISS ISLANDS ISLNDS
ISLE ISLE ISLES
JCT JUNCTION JCTION JCTN JUNCTN JUNCTON
JCTS JUNCTIONS
KY KEY
KYS KEYS
KNL KNOLL KNOL
KNLS KNOLLS
LK LAKE
LKS LAKES
LAND LAND
LNDG LANDING LNDNG
LN LANE
LGT LIGHT
LGTS LIGHTS
LF LOAF
LCK LOCK
LCKS LOCKS
LDG LODGE LDGE LODG
LOOP LOOP LOOPS
MALL MALL
MNR MANOR
MNRS MANORS
MDW MEADOW
MDWS MEADOWS MEDOWS
MEWS MEWS
ML MILL
MLS MILLS
MSN MISSION MISSN MSSN
MTWY MOTORWAY
MT MOUNT MNT
MTN MOUNTAIN MNTAIN MNTN MOUNTIN MTIN
MTNS MOUNTAINS
NCK NECK
ORCH ORCHARD ORCHRD
OVAL OVAL OVL
OPAS OVERPASS
PARK PARK PRK PARKS
PKWY PARKWAY PARKWY PKWAY PKY PARKWAYS PKWYS
PASS PASS
PSGE PASSAGE
PATH PATH PATHS
PIKE PIKE PIKES
PNE PINE
PNES PINES
PL PLACE
PLN PLAIN
PLNS PLAINS
PLZ PLAZA PLZA
PT POINT
PTS POINTS
PRT PORT
PRTS PORTS
PR PRAIRIE PRR
RADL RADIAL RAD RADIEL
RAMP RAMP
RNCH RANCH RANCHES RNCHS
RPD RAPID
RPDS RAPIDS
RST REST
RDG RIDGE RDGE
RDGS RIDGES
RIV RIVER RVR RIVR
RD ROAD
RDS ROADS
RTE ROUTE
ROW ROW
RUE RUE
RUN RUN
SHL SHOAL
SHLS SHOALS
SHR SHORE SHOAR
SHRS SHORES SHOARS
SKWY SKYWAY
SPG SPRING SPNG SPRNG
SPGS SPRINGS SPNGS SPRNGS
SPUR SPUR SPURS
SQ SQUARE SQR SQRE SQU
SQS SQUARES SQRS
STA STATION STATN STN
STRA STRAVENUE STRAV STRAVEN STRAVN STRVN STRVNUE
STRM STREAM STREME
ST STREET STRT STR
STS STREETS
SMT SUMMIT SUMIT SUMITT
TER TERRACE TERR
TRWY THROUGHWAY
TRCE TRACE TRACES
TRAK TRACK TRACKS TRK TRKS
TRFY TRAFFICWAY
TRL TRAIL TRAILS TRLS
TUNL TUNNEL TUNEL TUNLS TUNNELS TUNNL
TPKE TURNPIKE TRNPK TURNPK
UPAS UNDERPASS
UN UNION
UNS UNIONS
VLY VALLEY VALLY VLLY
VLYS VALLEYS
VIA VIADUCT VDCT VIADCT
VW VIEW
VWS VIEWS
VLG VILLAGE VILL VILLAG VILLG VILLIAGE
VLGS VILLAGES
VL VILLE
VIS VISTA VIST VST VSTA
WALK WALK WALKS
WALL WALL
WAY WAY WY
WAYS WAYS
WL WELL
WLS WELLS
`;

function tableOf(rows: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of rows.split("\n")) {
    if (line === "") continue;
    const [standard, ...variants] = line.split(" ") as [string, ...string[]];
    map.set(standard, standard);
    for (const v of variants) map.set(v, standard);
  }
  return map;
}

/** Every written form of a street type → its standard abbreviation ("AVENUE", "AV" → "AVE"). */
export const STREET_TYPES: ReadonlyMap<string, string> = tableOf(STREET_SUFFIXES);

/** Directionals, full and abbreviated → abbreviated. */
export const DIRECTIONALS: ReadonlyMap<string, string> = tableOf(`
N NORTH
S SOUTH
E EAST
W WEST
NE NORTHEAST
NW NORTHWEST
SE SOUTHEAST
SW SOUTHWEST
`);

/**
 * Unit designators (Publication 28, Appendix C2) that take a value: "APT 4B", "STE 200", "#4B".
 * PMB (private mailbox) is written the same way. KEY, PIER, SLIP, SIDE and STOP are left out:
 * they name streets more often than units in practice.
 */
const VALUE_DESIGNATORS: ReadonlySet<string> = new Set([
  "#",
  "APT",
  "APARTMENT",
  "APPT",
  "UNIT",
  "STE",
  "SUITE",
  "FL",
  "FLOOR",
  "FLR",
  "RM",
  "ROOM",
  "BLDG",
  "BUILDING",
  "BLD",
  "DEPT",
  "DEPARTMENT",
  "OFC",
  "OFFICE",
  "LOT",
  "SPC",
  "SPACE",
  "TRLR",
  "TRAILER",
  "HNGR",
  "HANGAR",
  "PMB",
  "NO",
  "NUM",
  "NUMBER",
]);

/** Designators that are a unit by themselves, recognised only at the end of the line ("123 MAIN ST REAR"). */
const STANDALONE_DESIGNATORS: ReadonlyMap<string, string> = tableOf(`
BSMT BASEMENT
FRNT FRONT
LBBY LOBBY
LOWR LOWER
PH PENTHOUSE
REAR REAR
UPPR UPPER
`);

const ORDINAL_WORDS: ReadonlyMap<string, string> = new Map([
  ["FIRST", "1ST"],
  ["SECOND", "2ND"],
  ["THIRD", "3RD"],
  ["FOURTH", "4TH"],
  ["FIFTH", "5TH"],
  ["SIXTH", "6TH"],
  ["SEVENTH", "7TH"],
  ["EIGHTH", "8TH"],
  ["NINTH", "9TH"],
  ["TENTH", "10TH"],
  ["ELEVENTH", "11TH"],
  ["TWELFTH", "12TH"],
  ["THIRTEENTH", "13TH"],
  ["FOURTEENTH", "14TH"],
  ["FIFTEENTH", "15TH"],
  ["SIXTEENTH", "16TH"],
  ["SEVENTEENTH", "17TH"],
  ["EIGHTEENTH", "18TH"],
  ["NINETEENTH", "19TH"],
  ["TWENTIETH", "20TH"],
]);

/** Words at the start of a place or street name written both ways ("SAINT LOUIS", "ST LOUIS"). */
const NAME_PREFIXES: ReadonlyMap<string, string> = new Map([
  ["SAINT", "ST"],
  ["SAINTE", "STE"],
  ["FORT", "FT"],
  ["MOUNT", "MT"],
]);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** "123", "12B": digits and at most one trailing letter (not an ordinal like "14TH"). */
function isHouseNumber(word: string): boolean {
  const n = word.length;
  if (n === 0 || !isDigit(word.charCodeAt(0))) return false;
  let i = 1;
  while (i < n && isDigit(word.charCodeAt(i))) i++;
  return i === n || (i === n - 1 && n <= 8);
}

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (isDigit(word.charCodeAt(i))) return true;
  return false;
}

/** Designators that are also ordinary words: a unit only when a number follows ("NO 5"). */
const NUMBER_WORDS: ReadonlySet<string> = new Set(["NO", "NUM", "NUMBER"]);
const FLOORS: ReadonlySet<string> = new Set(["FL", "FLOOR", "FLR"]);

/**
 * Whether `value` can be the unit of `designator`: after NO/NUMBER a house-number shape; after
 * a floor designator at most three characters ("FL 33101" is Florida and a ZIP code).
 */
function plausibleUnit(designator: string, value: string): boolean {
  if (NUMBER_WORDS.has(designator)) return isHouseNumber(value);
  if (FLOORS.has(designator)) return value.length <= 3;
  return true;
}

/** The index of "BOX" in a PO box line (PO BOX, P O BOX, POST OFFICE BOX, POB, or BOX first), else -1. */
function poBoxAt(w: readonly string[]): number {
  for (let i = 0; i < w.length; i++) {
    const word = w[i] as string;
    if (word === "POB" || word === "POBOX") return i;
    if (word !== "BOX") continue;
    if (i === 0) return i;
    const prev = w[i - 1];
    if (prev === "PO" || prev === "OFFICE") return i;
    if (prev === "O" && w[i - 2] === "P") return i;
  }
  return -1;
}

const EMPTY: ParsedAddress = Object.freeze({ houseNumber: null, street: null, unit: null });

/**
 * An address line parsed: "123 N. Main St., Apt 4B" → { houseNumber: "123", street: "N MAIN ST",
 * unit: "4B" }; "PO Box 12" → { street: "PO BOX 12" }; "742 Evergreen Terrace" →
 * { houseNumber: "742", street: "EVERGREEN TER" }. When the line goes on with the city, state and
 * ZIP code ("500 Main St, Miami, FL 33101"), they are dropped: the state and ZIP by their shape,
 * the city when it is given (`city`, as `normaliseCity` returns it) and ends the line.
 */
export function parseAddressLine(line: string | null | undefined, city?: string | null): ParsedAddress {
  if (line === null || line === undefined) return EMPTY;
  const w = words(foldText(line, true));
  if (w.length === 0) return EMPTY;

  const box = poBoxAt(w);
  if (box !== -1) {
    const number = w[box + 1];
    return {
      houseNumber: null,
      street: number !== undefined && number !== "#" ? `PO BOX ${number}` : "PO BOX",
      unit: null,
    };
  }

  // Units: a designator and the word after it, wherever they are; then a trailing standalone one.
  const rest: string[] = [];
  let unit: string | null = null;
  for (let i = 0; i < w.length; i++) {
    const word = w[i] as string;
    if (!VALUE_DESIGNATORS.has(word) || (i === 0 && NUMBER_WORDS.has(word))) {
      rest.push(word);
      continue;
    }
    let j = i + 1;
    while (j < w.length && VALUE_DESIGNATORS.has(w[j] as string)) j++;
    let value = w[j];
    if (value === undefined) {
      // A designator with nothing after it holds no unit; "NO" at the end is a word.
      if (NUMBER_WORDS.has(word)) rest.push(word);
      i = j;
      continue;
    }
    if (!plausibleUnit(word, value)) {
      rest.push(word);
      continue;
    }
    // "APT 4 B" → "4B"
    const next = w[j + 1];
    if (next !== undefined && next.length === 1 && !DIRECTIONALS.has(next) && !hasDigit(next)) {
      if (j + 2 >= w.length || VALUE_DESIGNATORS.has(w[j + 2] as string)) {
        value += next;
        j++;
      }
    }
    unit = unit === null ? value : `${unit} ${value}`;
    i = j;
  }
  if (rest.length > 2) {
    const last = STANDALONE_DESIGNATORS.get(rest[rest.length - 1] as string);
    if (last !== undefined && STREET_TYPES.has(rest[rest.length - 2] as string)) {
      rest.pop();
      unit = unit === null ? last : `${unit} ${last}`;
    }
  }

  dropTrailingPlace(rest, city);

  // House number: the first word when it is one; "12 B MAIN ST" → "12B".
  let start = 0;
  let houseNumber: string | null = null;
  const first = rest[0];
  if (first !== undefined && isHouseNumber(first) && rest.length > 1) {
    houseNumber = first;
    start = 1;
    const second = rest[1] as string;
    if (
      second.length === 1 &&
      !DIRECTIONALS.has(second) &&
      !isDigit(second.charCodeAt(0)) &&
      rest.length > 2 &&
      isDigit(first.charCodeAt(first.length - 1))
    ) {
      houseNumber += second;
      start = 2;
    }
  }
  let end = rest.length;
  // Written after the street, as much of Europe and Latin America does: "RUE DE RIVOLI 10". Not
  // after a street type, where the number is the street's ("HWY 101", "COUNTY RD 5").
  if (houseNumber === null && end >= 2) {
    const last = rest[end - 1] as string;
    const before = rest[end - 2] as string;
    if (isHouseNumber(last) && !STREET_TYPES.has(before)) {
      houseNumber = last;
      end--;
    }
  }
  const street = standardiseStreet(rest.slice(start, end));
  return { houseNumber, street, unit };
}

/** US states, DC and territories, and Canadian provinces: the codes written before a ZIP code. */
const STATE_CODES: ReadonlySet<string> = new Set(
  (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY " +
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP AB BC MB NB NL NS NT NU ON PE QC SK YT"
  ).split(" "),
);

/**
 * Removes, in place, a trailing "STATE ZIP", then `city` when the line ends with it (or with it
 * and a state code). A state code alone is not removed: "CT" and "PA" end streets as often.
 */
function dropTrailingPlace(w: string[], city: string | null | undefined): void {
  const n = w.length;
  if (n >= 4) {
    const last = w[n - 1] as string;
    if ((last.length === 5 || last.length === 9) && isAllDigits(last) && STATE_CODES.has(w[n - 2] as string))
      w.length = n - 2;
  }
  if (!city || w.length < 3) return;
  // Most lines do not end with the city: check its last word before splitting it.
  const lastWord = city.slice(city.lastIndexOf(" ") + 1);
  const last = w[w.length - 1] as string;
  if (last !== lastWord && !(w.length > 3 && STATE_CODES.has(last) && w[w.length - 2] === lastWord)) return;
  const c = words(city);
  if (endsWithCity(w, c, w.length)) w.length -= c.length;
  else if (STATE_CODES.has(w[w.length - 1] as string) && endsWithCity(w, c, w.length - 1))
    w.length -= c.length + 1;
}

/**
 * Whether `w[0, end)` ends with the city's words after a street type or directional ("MAIN ST
 * ALBANY"; not "OLD ALBANY", which may be the street's own name).
 */
function endsWithCity(w: readonly string[], c: readonly string[], end: number): boolean {
  const from = end - c.length;
  if (from < 2) return false;
  const before = w[from - 1] as string;
  if (!STREET_TYPES.has(before) && !DIRECTIONALS.has(before)) return false;
  for (let k = 0; k < c.length; k++) if (normaliseCityWord(w[from + k] as string, k) !== c[k]) return false;
  return true;
}

function normaliseCityWord(word: string, index: number): string {
  return index === 0 ? (NAME_PREFIXES.get(word) ?? word) : word;
}

function isAllDigits(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (!isDigit(word.charCodeAt(i))) return false;
  return true;
}

/**
 * The words of a street name in standard form: a leading and a trailing directional
 * abbreviated (two directionals in a row merged: "SOUTH WEST" → "SW"), the street type
 * abbreviated, ordinal words as numbers, SAINT/FORT/MOUNT abbreviated; other words untouched.
 * Null when no word is left.
 */
export function standardiseStreet(input: readonly string[]): string | null {
  const w = mergeDirectionals(input);
  const n = w.length;
  if (n === 0) return null;
  for (let i = 0; i < n; i++) {
    const word = w[i] as string;
    const ordinal = ORDINAL_WORDS.get(word);
    if (ordinal !== undefined) w[i] = ordinal;
  }
  if (n === 1) return w[0] as string;
  // The type: the last word, or the one before a trailing directional; failing that, the last word
  // that is a type anywhere ("HWY 101", "AVENUE A", "COUNTY RD 5").
  let last = n - 1;
  const trailing = DIRECTIONALS.get(w[last] as string);
  if (trailing !== undefined && n > 2) {
    w[last] = trailing;
    last--;
  }
  let typeAt = -1;
  if (STREET_TYPES.has(w[last] as string)) typeAt = last;
  else
    for (let i = last - 1; i >= 0; i--) {
      if (STREET_TYPES.has(w[i] as string)) {
        typeAt = i;
        break;
      }
    }
  if (typeAt !== -1) w[typeAt] = STREET_TYPES.get(w[typeAt] as string) as string;
  const leading = DIRECTIONALS.get(w[0] as string);
  if (leading !== undefined && typeAt !== 0) w[0] = leading;
  for (let i = 0; i < n; i++) {
    if (i === typeAt) continue;
    const prefix = NAME_PREFIXES.get(w[i] as string);
    if (prefix !== undefined) w[i] = prefix;
  }
  return w.join(" ");
}

/** "SOUTH WEST" or "S W" → "SW" (a north/south word then an east/west word). */
function mergeDirectionals(input: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const word = input[i] as string;
    const next = input[i + 1];
    if (next !== undefined) {
      const a = DIRECTIONALS.get(word);
      const b = DIRECTIONALS.get(next);
      if ((a === "N" || a === "S") && (b === "E" || b === "W") && input.length > 2) {
        out.push(a + b);
        i++;
        continue;
      }
    }
    out.push(word);
  }
  return out;
}

/** A city name folded, with SAINT/SAINTE/FORT/MOUNT abbreviated ("Saint Louis" → "ST LOUIS"). */
export function normaliseCity(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const folded = foldText(text);
  if (folded.length === 0) return null;
  const space = folded.indexOf(" ");
  if (space === -1) return folded;
  const prefix = NAME_PREFIXES.get(folded.slice(0, space));
  return prefix === undefined ? folded : prefix + folded.slice(space);
}

/**
 * A postcode as its country writes it, upper case without spaces or dashes ("sw1a 1aa" →
 * "SW1A1AA", "K1A 0B1" → "K1A0B1"). US ZIP codes keep their first five digits (ZIP+4 dropped),
 * and, when the country is known to be the US, three or four digits are padded with the zeros a
 * spreadsheet dropped ("2134" → "02134"). Without a country, nine digits are read as ZIP+4.
 */
export function normalisePostcode(text: string | null | undefined, country: string | null): string | null {
  if (text === null || text === undefined) return null;
  let out = "";
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (isDigit(c)) digits++;
    else if (c >= 65 && c <= 90) letters++;
    else continue;
    out += String.fromCharCode(c);
  }
  if (out.length === 0) return null;
  if (letters === 0 && (country === "US" || (country === null && (digits === 5 || digits === 9)))) {
    if (digits === 5) return out;
    if (digits === 9) return out.slice(0, 5);
    if (country === "US" && (digits === 3 || digits === 4)) return out.padStart(5, "0");
    if (country === "US") return null;
  }
  return out;
}
