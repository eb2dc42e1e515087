/** Our additions to the schema Strapi's shadow CRUD generates. Changing them changes the public API. */
export const typeDefs = /* GraphQL */ `
  "Where a workshop stands today, by the calendar of its own time zone."
  enum WorkshopPhase {
    UPCOMING
    ONGOING
    PAST
  }

  enum AppearanceRole {
    ORGANIZER
    SPEAKER
  }

  "One role of a person in one published workshop, with the affiliation printed there."
  type PersonAppearance {
    role: AppearanceRole!
    workshop: Workshop!
    affiliation: Organization
  }

  extend type Workshop {
    "The dates as the institute prints them, e.g. \\"January 23 - 27, 2023\\"."
    dateRange: String!
    phase: WorkshopPhase!
    "Absolute URL of this workshop's iCalendar file."
    calendarUrl: String!
    "A schema.org EducationEvent describing this workshop, for a <script type=\\"application/ld+json\\">."
    jsonLd: JSON!
  }

  extend type ComponentWorkshopParticipant {
    "\\"Name (Affiliation)\\" as printed for this workshop, e.g. \\"Xavier Bresson (National University of Singapore)\\"."
    credit: String!
  }

  extend type Person {
    "Every published workshop this person organized or spoke at, newest first."
    appearances: [PersonAppearance!]!
  }

  "One size of an uploaded image that Strapi made."
  type ImageFormat {
    "Absolute URL."
    url: String!
    width: Int!
    height: Int!
  }

  "The responsive sizes of an image, each null when the original is not larger: thumbnail (at most 245 x 156 pixels), small (500 wide), medium (750), large (1000)."
  type ImageFormats {
    thumbnail: ImageFormat
    small: ImageFormat
    medium: ImageFormat
    large: ImageFormat
  }

  extend type UploadFile {
    "Strapi's responsive sizes of this image, typed (formats holds the same as JSON)."
    imageFormats: ImageFormats!
  }

  extend type Mutation {
    "A new draft from a workshop: dates moved (by a year, or to startDate), title and slug adapted, texts, series, sponsors and organizers kept, speakers and talks kept only if asked, registration links cleared. Needs a token granted api::workshop.next-edition.prepare (or full access)."
    prepareNextWorkshopEdition(documentId: ID!, startDate: Date, keepSpeakers: Boolean = false, keepTalks: Boolean = false): Workshop!
  }

  extend type Query {
    "A published workshop by its slug, or by a slug it was published under before (its slug is then the current one: redirect there); null when there is none."
    workshopBySlug(slug: String!): Workshop
    "A person by slug, or by a slug they had before (their slug is then the current one: redirect there); null unless they appear in a published workshop."
    personBySlug(slug: String!): Person
    "A workshop series by slug; null unless it has a published workshop."
    workshopSeriesBySlug(slug: String!): WorkshopSeries
  }
`;
