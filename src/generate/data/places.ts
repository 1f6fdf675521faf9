/**
 * Geography of the synthetic world: US cities where people live and bank (with the Mexican
 * cities across the southwest border, whose economy is joined to theirs), the state names that
 * records spell out or abbreviate, and the countries family remittances go to.
 *
 * The source stays ASCII: characters beyond it are written as \u escapes.
 */

export interface City {
  name: string;
  /** Two-letter state: USPS code in the US, RENAPO (CURP) code in Mexico. */
  region: string;
  country: "US" | "MX";
  /** Three-digit ZIP prefix in the US; two-digit postal prefix (the state's range) in Mexico. */
  zip3: string;
  lat: number;
  lon: number;
  /** Relative population: thousands of people the city stands for (its metro for big cores). */
  weight: number;
  /** On the US-Mexico border, or close enough that its economy crosses it. */
  border: boolean;
  /** Local telephone area codes, so that phones look local to the address. */
  areaCodes: readonly string[];
}

function us(
  name: string,
  region: string,
  zip3: string,
  lat: number,
  lon: number,
  weight: number,
  areaCodes: string,
  border = false,
): City {
  return { name, region, country: "US", zip3, lat, lon, weight, border, areaCodes: areaCodes.split(" ") };
}

function mx(
  name: string,
  region: string,
  zip2: string,
  lat: number,
  lon: number,
  weight: number,
  areaCodes: string,
): City {
  return {
    name,
    region,
    country: "MX",
    zip3: zip2,
    lat,
    lon,
    weight,
    border: true,
    areaCodes: areaCodes.split(" "),
  };
}

export const CITIES: readonly City[] = [
  // Large metros, all regions.
  us("New York", "NY", "100", 40.7128, -74.006, 14000, "212 718 917 646 347"),
  us("Los Angeles", "CA", "900", 34.0522, -118.2437, 12800, "213 323 310 818 626"),
  us("Chicago", "IL", "606", 41.8781, -87.6298, 9400, "312 773 872"),
  us("Dallas", "TX", "752", 32.7767, -96.797, 5500, "214 469 972"),
  us("Houston", "TX", "770", 29.7604, -95.3698, 7100, "713 281 832 346"),
  us("Washington", "DC", "200", 38.9072, -77.0369, 6300, "202"),
  us("Philadelphia", "PA", "191", 39.9526, -75.1652, 5900, "215 267"),
  us("Atlanta", "GA", "303", 33.749, -84.388, 6200, "404 470 678"),
  us("Miami", "FL", "331", 25.7617, -80.1918, 4000, "305 786"),
  us("Phoenix", "AZ", "850", 33.4484, -112.074, 5000, "602 480 623"),
  us("Boston", "MA", "021", 42.3601, -71.0589, 4900, "617 857"),
  us("Riverside", "CA", "925", 33.9806, -117.3755, 4600, "951"),
  us("San Francisco", "CA", "941", 37.7749, -122.4194, 3000, "415 628"),
  us("Oakland", "CA", "946", 37.8044, -122.2712, 1600, "510 341"),
  us("Detroit", "MI", "482", 42.3314, -83.0458, 4300, "313"),
  us("Seattle", "WA", "981", 47.6062, -122.3321, 4000, "206"),
  us("Minneapolis", "MN", "554", 44.9778, -93.265, 3700, "612"),
  us("Tampa", "FL", "336", 27.9506, -82.4572, 3300, "813"),
  us("Denver", "CO", "802", 39.7392, -104.9903, 3000, "303 720"),
  us("Baltimore", "MD", "212", 39.2904, -76.6122, 2800, "410 443"),
  us("St. Louis", "MO", "631", 38.627, -90.1994, 2800, "314"),
  us("Orlando", "FL", "328", 28.5383, -81.3792, 2800, "407 321"),
  us("Charlotte", "NC", "282", 35.2271, -80.8431, 2700, "704 980"),
  us("San Antonio", "TX", "782", 29.4241, -98.4936, 2600, "210 726"),
  us("Portland", "OR", "972", 45.5152, -122.6784, 2500, "503 971"),
  us("Sacramento", "CA", "958", 38.5816, -121.4944, 2400, "916 279"),
  us("Pittsburgh", "PA", "152", 40.4406, -79.9959, 2400, "412"),
  us("Austin", "TX", "787", 30.2672, -97.7431, 2400, "512 737"),
  us("Las Vegas", "NV", "891", 36.1699, -115.1398, 2300, "702 725"),
  us("Cincinnati", "OH", "452", 39.1031, -84.512, 2250, "513"),
  us("Kansas City", "MO", "641", 39.0997, -94.5786, 2200, "816"),
  us("Columbus", "OH", "432", 39.9612, -82.9988, 2150, "614 380"),
  us("Indianapolis", "IN", "462", 39.7684, -86.1581, 2100, "317 463"),
  us("Cleveland", "OH", "441", 41.4993, -81.6944, 2100, "216"),
  us("San Jose", "CA", "951", 37.3382, -121.8863, 2000, "408 669"),
  us("Nashville", "TN", "372", 36.1627, -86.7816, 2000, "615 629"),
  us("Fort Worth", "TX", "761", 32.7555, -97.3308, 2400, "817 682"),
  us("Santa Ana", "CA", "927", 33.7455, -117.8677, 3100, "714 657"),
  us("San Juan", "PR", "009", 18.4655, -66.1057, 2000, "787 939"),
  us("Jacksonville", "FL", "322", 30.3322, -81.6557, 1700, "904"),
  us("Fort Lauderdale", "FL", "333", 26.1224, -80.1373, 1900, "954 754"),
  us("Newark", "NJ", "071", 40.7357, -74.1724, 800, "973 862"),
  us("Providence", "RI", "029", 41.824, -71.4128, 1680, "401"),
  us("Oklahoma City", "OK", "731", 35.4676, -97.5164, 1450, "405"),
  us("Raleigh", "NC", "276", 35.7796, -78.6382, 1450, "919 984"),
  us("Memphis", "TN", "381", 35.1495, -90.049, 1340, "901"),
  us("Richmond", "VA", "232", 37.5407, -77.436, 1320, "804"),
  us("Louisville", "KY", "402", 38.2527, -85.7585, 1290, "502"),
  us("New Orleans", "LA", "701", 29.9511, -90.0715, 1270, "504"),
  us("Salt Lake City", "UT", "841", 40.7608, -111.891, 1260, "801 385"),
  us("Hartford", "CT", "061", 41.7658, -72.6734, 1210, "860 959"),
  us("Buffalo", "NY", "142", 42.8864, -78.8784, 1160, "716"),
  us("Birmingham", "AL", "352", 33.5186, -86.8104, 1120, "205"),
  us("Rochester", "NY", "146", 43.1566, -77.6088, 1090, "585"),
  us("Grand Rapids", "MI", "495", 42.9634, -85.6681, 1090, "616"),
  us("Milwaukee", "WI", "532", 43.0389, -87.9065, 1570, "414"),
  us("Tulsa", "OK", "741", 36.154, -95.9928, 1020, "918"),
  us("Fresno", "CA", "937", 36.7378, -119.7871, 1000, "559"),
  us("Honolulu", "HI", "968", 21.3069, -157.8583, 1000, "808"),
  us("Worcester", "MA", "016", 42.2626, -71.8023, 980, "508 774"),
  us("Omaha", "NE", "681", 41.2565, -95.9345, 970, "402 531"),
  us("Bridgeport", "CT", "066", 41.1792, -73.1894, 950, "203 475"),
  us("Greenville", "SC", "296", 34.8526, -82.394, 930, "864"),
  us("Albuquerque", "NM", "871", 35.0844, -106.6504, 920, "505"),
  us("Bakersfield", "CA", "933", 35.3733, -119.0187, 910, "661"),
  us("Albany", "NY", "122", 42.6526, -73.7562, 900, "518 838"),
  us("Knoxville", "TN", "379", 35.9606, -83.9207, 900, "865"),
  us("Baton Rouge", "LA", "708", 30.4515, -91.1871, 870, "225"),
  us("Allentown", "PA", "181", 40.6084, -75.4902, 860, "610 484"),
  us("Columbia", "SC", "292", 34.0007, -81.0348, 830, "803 839"),
  us("Charleston", "SC", "294", 32.7765, -79.9311, 800, "843 854"),
  us("Stockton", "CA", "952", 37.9577, -121.2908, 780, "209"),
  us("Boise", "ID", "837", 43.615, -116.2023, 770, "208 986"),
  us("Colorado Springs", "CO", "809", 38.8339, -104.8214, 760, "719"),
  us("Little Rock", "AR", "722", 34.7465, -92.2896, 750, "501"),
  us("Des Moines", "IA", "503", 41.5868, -93.625, 700, "515"),
  us("Madison", "WI", "537", 43.0731, -89.4012, 680, "608"),
  us("Wichita", "KS", "672", 37.6872, -97.3301, 650, "316"),
  us("Toledo", "OH", "436", 41.6528, -83.5379, 640, "419 567"),
  us("Spokane", "WA", "992", 47.6588, -117.426, 590, "509"),
  us("Jackson", "MS", "392", 32.2988, -90.1848, 590, "601 769"),
  us("Chattanooga", "TN", "374", 35.0456, -85.3097, 570, "423"),
  us("Lexington", "KY", "405", 38.0406, -84.5037, 520, "859"),
  us("Reno", "NV", "895", 39.5296, -119.8138, 490, "775"),
  us("Springfield", "MO", "658", 37.209, -93.2923, 470, "417"),
  us("Mobile", "AL", "366", 30.6954, -88.0399, 430, "251"),
  us("Manchester", "NH", "031", 42.9956, -71.4548, 420, "603"),
  us("Corpus Christi", "TX", "784", 27.8006, -97.3964, 420, "361"),
  us("Anchorage", "AK", "995", 61.2181, -149.9003, 400, "907"),
  us("Savannah", "GA", "314", 32.0809, -81.0912, 400, "912"),
  us("Shreveport", "LA", "711", 32.5252, -93.7502, 390, "318"),
  us("Montgomery", "AL", "361", 32.3792, -86.3077, 380, "334"),
  us("Huntington", "WV", "257", 38.4192, -82.4452, 360, "304 681"),
  us("Lubbock", "TX", "794", 33.5779, -101.8552, 330, "806"),
  us("Durham", "NC", "277", 35.994, -78.8986, 300, "919 984"),
  us("Wilmington", "DE", "198", 39.7391, -75.5398, 300, "302"),
  us("Jersey City", "NJ", "073", 40.7178, -74.0431, 290, "201 551"),
  us("Sioux Falls", "SD", "571", 43.5446, -96.7311, 280, "605"),
  us("Fargo", "ND", "581", 46.8772, -96.7898, 250, "701"),
  us("Burlington", "VT", "054", 44.4759, -73.2121, 225, "802"),
  us("Hialeah", "FL", "330", 25.8576, -80.2781, 220, "305 786"),
  us("Yonkers", "NY", "107", 40.9312, -73.8988, 210, "914"),
  us("Billings", "MT", "591", 45.7833, -108.5007, 185, "406"),
  us("Midland", "TX", "797", 31.9973, -102.0779, 180, "432"),
  us("Salinas", "CA", "939", 36.6777, -121.6555, 160, "831"),
  us("Paterson", "NJ", "075", 40.9168, -74.1718, 160, "973 862"),
  us("Santa Fe", "NM", "875", 35.687, -105.9378, 155, "505"),
  us("Pasadena", "TX", "775", 29.6911, -95.2091, 150, "281 713 832"),
  us("Cheyenne", "WY", "820", 41.14, -104.8202, 100, "307"),
  us("Yakima", "WA", "989", 46.6021, -120.5059, 97, "509"),
  // Small towns: meatpacking, farm work and carpet mills draw newcomers; rural banks.
  us("Logan", "UT", "843", 41.737, -111.8338, 53, "435"),
  us("Gainesville", "GA", "305", 34.2979, -83.8241, 43, "770 470"),
  us("Dalton", "GA", "307", 34.7698, -84.9702, 34, "706 762"),
  us("Bangor", "ME", "044", 44.8012, -68.7778, 32, "207"),
  us("Hazleton", "PA", "182", 40.9584, -75.9746, 30, "570"),
  us("Garden City", "KS", "678", 37.9717, -100.8727, 28, "620"),
  us("Dodge City", "KS", "678", 37.7528, -100.0171, 27, "620"),
  us("Marshalltown", "IA", "501", 42.0494, -92.908, 27, "641"),
  us("Immokalee", "FL", "341", 26.4187, -81.4173, 25, "239"),
  us("Elko", "NV", "898", 40.8324, -115.7631, 20, "775"),
  us("Worthington", "MN", "561", 43.6199, -95.5964, 13, "507"),
  us("Siler City", "NC", "273", 35.7235, -79.4623, 8, "919 984"),
  // The southwest border, west to east.
  us("San Diego", "CA", "921", 32.7157, -117.1611, 3000, "619 858", true),
  us("Chula Vista", "CA", "919", 32.6401, -117.0842, 275, "619", true),
  us("El Centro", "CA", "922", 32.792, -115.5631, 44, "760 442", true),
  us("Calexico", "CA", "922", 32.6789, -115.4989, 39, "760 442", true),
  us("Yuma", "AZ", "853", 32.6927, -114.6277, 205, "928", true),
  us("San Luis", "AZ", "853", 32.487, -114.7822, 36, "928", true),
  us("Tucson", "AZ", "857", 32.2226, -110.9747, 1050, "520", true),
  us("Nogales", "AZ", "856", 31.3404, -110.9343, 47, "520", true),
  us("Douglas", "AZ", "856", 31.3445, -109.5453, 16, "520", true),
  us("Las Cruces", "NM", "880", 32.3199, -106.7637, 220, "575", true),
  us("El Paso", "TX", "799", 31.7619, -106.485, 870, "915", true),
  us("Del Rio", "TX", "788", 29.3709, -100.8959, 49, "830", true),
  us("Eagle Pass", "TX", "788", 28.7091, -100.4995, 58, "830", true),
  us("Laredo", "TX", "780", 27.5306, -99.4803, 270, "956", true),
  us("Rio Grande City", "TX", "785", 26.3798, -98.8203, 65, "956", true),
  us("McAllen", "TX", "785", 26.2034, -98.23, 650, "956", true),
  us("Edinburg", "TX", "785", 26.3017, -98.1633, 230, "956", true),
  us("Harlingen", "TX", "785", 26.1906, -97.6961, 120, "956", true),
  us("Brownsville", "TX", "785", 25.9017, -97.4975, 300, "956", true),
  // Mexican border cities: counterparts, senders and recipients of cross-border money.
  mx("Tijuana", "BC", "22", 32.5149, -117.0382, 2200, "664"),
  mx("Mexicali", "BC", "21", 32.6245, -115.4523, 1050, "686"),
  mx("San Luis R\u00edo Colorado", "SR", "83", 32.4561, -114.7719, 200, "653"),
  mx("Nogales", "SR", "84", 31.3012, -110.9381, 265, "631"),
  mx("Agua Prieta", "SR", "84", 31.3272, -109.5486, 90, "633"),
  mx("Ciudad Ju\u00e1rez", "CH", "32", 31.6904, -106.4245, 1500, "656"),
  mx("Ciudad Acu\u00f1a", "CL", "26", 29.3232, -100.9522, 160, "877"),
  mx("Piedras Negras", "CL", "26", 28.7, -100.5231, 165, "878"),
  mx("Nuevo Laredo", "TS", "88", 27.4779, -99.5496, 425, "867"),
  mx("Reynosa", "TS", "88", 26.0508, -98.2979, 700, "899"),
  mx("Matamoros", "TS", "87", 25.869, -97.5027, 540, "868"),
];

/** The US cities with their index in CITIES: where people live, bank and deposit cash. */
export const US_CITIES: readonly (readonly [City, number])[] = CITIES.map((c, i) => [c, i] as const).filter(
  ([c]) => c.country === "US",
);

/** Region code to full name, for records that spell the state out ("TX" and "Texas"). */
export const REGION_NAMES: Readonly<Record<string, string>> = {
  AL: "Alabama",
  AK: "Alaska",
  AZ: "Arizona",
  AR: "Arkansas",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DE: "Delaware",
  DC: "District of Columbia",
  FL: "Florida",
  GA: "Georgia",
  HI: "Hawaii",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  IA: "Iowa",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  ME: "Maine",
  MD: "Maryland",
  MA: "Massachusetts",
  MI: "Michigan",
  MN: "Minnesota",
  MS: "Mississippi",
  MO: "Missouri",
  MT: "Montana",
  NE: "Nebraska",
  NV: "Nevada",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NY: "New York",
  NC: "North Carolina",
  ND: "North Dakota",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VT: "Vermont",
  VA: "Virginia",
  WA: "Washington",
  WV: "West Virginia",
  WI: "Wisconsin",
  WY: "Wyoming",
  PR: "Puerto Rico",
  // Mexican border states (RENAPO codes; none collides with a US one).
  BC: "Baja California",
  SR: "Sonora",
  CH: "Chihuahua",
  CL: "Coahuila",
  NL: "Nuevo Le\u00f3n",
  TS: "Tamaulipas",
};

/** Country code to the names records use for it: ISO alpha-3, then the English name. */
export const COUNTRY_NAMES: Readonly<Record<string, readonly [alpha3: string, name: string]>> = {
  US: ["USA", "United States"],
  MX: ["MEX", "Mexico"],
};

export interface ForeignCountry {
  /** ISO 3166-1 alpha-2. */
  code: string;
  name: string;
  /** Relative share of family remittances sent from the US (roughly, billions of USD a year). */
  weight: number;
}

/**
 * Where family remittances from the US go, weighted roughly by the World Bank's bilateral
 * estimates. These are destinations of money only: no nationality or ethnicity is modelled.
 */
export const FOREIGN_COUNTRIES: readonly ForeignCountry[] = [
  { code: "MX", name: "Mexico", weight: 55 },
  { code: "GT", name: "Guatemala", weight: 17 },
  { code: "CN", name: "China", weight: 15 },
  { code: "IN", name: "India", weight: 14 },
  { code: "PH", name: "Philippines", weight: 12 },
  { code: "DO", name: "Dominican Republic", weight: 9 },
  { code: "HN", name: "Honduras", weight: 8 },
  { code: "SV", name: "El Salvador", weight: 7.5 },
  { code: "VN", name: "Viet Nam", weight: 5 },
  { code: "NG", name: "Nigeria", weight: 5 },
  { code: "CO", name: "Colombia", weight: 5 },
  { code: "EC", name: "Ecuador", weight: 4 },
  { code: "HT", name: "Haiti", weight: 3 },
  { code: "PK", name: "Pakistan", weight: 3 },
  { code: "JM", name: "Jamaica", weight: 2.5 },
  { code: "NI", name: "Nicaragua", weight: 2 },
  { code: "BR", name: "Brazil", weight: 2 },
  { code: "BD", name: "Bangladesh", weight: 2 },
  { code: "KR", name: "Korea, Republic of", weight: 2 },
  { code: "PE", name: "Peru", weight: 1.5 },
  { code: "GH", name: "Ghana", weight: 1 },
  { code: "PL", name: "Poland", weight: 1 },
  { code: "UA", name: "Ukraine", weight: 1 },
  { code: "LB", name: "Lebanon", weight: 1 },
  { code: "EG", name: "Egypt", weight: 1 },
  { code: "KE", name: "Kenya", weight: 0.8 },
  { code: "NP", name: "Nepal", weight: 0.8 },
  { code: "ET", name: "Ethiopia", weight: 0.6 },
  { code: "VE", name: "Venezuela", weight: 0.5 },
];
