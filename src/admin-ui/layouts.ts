/**
 * How the admin UI's content manager shows our types: labels in plain words, list columns staff
 * scan, edit views grouped as a page reads (basics, texts, people, schedule, links), default sort.
 * Field descriptions come from each schema.json. Applied at every start (content-manager-layouts.ts).
 */
type Row = Array<[field: string, size: number]>;

export interface Layout {
  mainField?: string;
  sort?: [field: string, order: 'ASC' | 'DESC'];
  list?: string[];
  edit?: Row[];
  labels?: Record<string, string>;
  /** Fields the server writes: shown, never typed. */
  readOnly?: string[];
}

export const LAYOUTS: Record<string, Layout> = {
  'api::workshop.workshop': {
    mainField: 'title',
    sort: ['startDate', 'DESC'],
    list: ['title', 'startDate', 'endDate', 'series'],
    edit: [
      // Basics
      [['title', 6], ['slug', 6]],
      [['startDate', 4], ['endDate', 4], ['timezone', 4]],
      [['series', 6], ['summary', 6]],
      // Texts
      [['overview', 12]],
      [['participation', 12]],
      [['posterSession', 12]],
      // People
      [['organizers', 12]],
      [['speakers', 12]],
      // Schedule
      [['talks', 12]],
      // Links and practicalities
      [['registrationUrl', 6], ['fundingApplicationUrl', 6]],
      [['applicationDeadline', 4]],
      [['sponsors', 6]],
      [['venue', 12]],
      // Written by the server (src/slugs), shown for staff to see
      [['slugAliases', 12]],
    ],
    labels: {
      title: 'Title',
      slug: 'Page address (slug)',
      slugAliases: 'Former page addresses (still lead here)',
      startDate: 'First day',
      endDate: 'Last day',
      timezone: 'Time zone',
      series: 'Series',
      summary: 'Summary for cards',
      overview: 'Scientific overview',
      participation: 'Participation',
      posterSession: 'Poster session',
      organizers: 'Organizers',
      speakers: 'Speakers',
      talks: 'Schedule',
      registrationUrl: 'Registration page',
      fundingApplicationUrl: 'Funding application page',
      applicationDeadline: 'Funding application deadline',
      sponsors: 'Sponsors',
      venue: 'Venue',
    },
    readOnly: ['slugAliases'],
  },
  'api::person.person': {
    mainField: 'name',
    sort: ['familyName', 'ASC'],
    list: ['name', 'affiliation'],
    edit: [
      [['name', 6], ['familyName', 6]],
      [['affiliation', 6], ['slug', 6]],
      [['homepage', 6], ['orcid', 6]],
      [['bio', 12]],
      [['photo', 6]],
      [['email', 6]],
      [['notes', 12]],
      [['slugAliases', 12]],
    ],
    labels: {
      name: 'Name as printed',
      familyName: 'Family name (for sorting)',
      affiliation: 'Current affiliation',
      slug: 'Page address (slug)',
      slugAliases: 'Former page addresses (still lead here)',
      homepage: 'Homepage',
      orcid: 'ORCID iD',
      bio: 'Short biography',
      photo: 'Photo',
      email: 'Email (private)',
      notes: 'Notes (private)',
    },
    readOnly: ['slugAliases'],
  },
  'api::organization.organization': {
    mainField: 'name',
    sort: ['name', 'ASC'],
    list: ['name', 'shortName', 'kind', 'country'],
    labels: { name: 'Name as printed', shortName: 'Abbreviation', slug: 'Identifier (slug)', kind: 'Kind', country: 'Country code', url: 'Web site' },
  },
  'api::sponsor.sponsor': {
    mainField: 'name',
    sort: ['name', 'ASC'],
    list: ['name', 'acronym'],
    labels: { name: 'Name', acronym: 'Acronym', slug: 'Identifier (slug)', url: 'Web site', logo: 'Logo', description: 'Description' },
  },
  'api::workshop-series.workshop-series': {
    mainField: 'name',
    sort: ['name', 'ASC'],
    list: ['name', 'sponsor'],
    labels: { name: 'Name', slug: 'Page address (slug)', description: 'Description', acknowledgement: 'Acknowledgement sentence', sponsor: 'Sponsor', workshops: 'Workshops' },
  },
  // The webhook outbox (src/webhooks): a delivery log staff read; the server alone writes it.
  'api::webhook-delivery.webhook-delivery': {
    mainField: 'eventType',
    sort: ['createdAt', 'DESC'],
    list: ['eventType', 'target', 'deliveryStatus', 'attempts', 'lastStatusCode', 'lastError', 'nextAttemptAt', 'deliveredAt'],
    edit: [
      [['eventType', 6], ['deliveryStatus', 6]],
      [['target', 12]],
      [['attempts', 4], ['lastStatusCode', 4], ['messageId', 4]],
      [['lastError', 12]],
      [['nextAttemptAt', 4], ['deliveredAt', 4], ['lockedUntil', 4]],
      [['body', 12]],
      [['claimToken', 12]],
    ],
    labels: {
      eventType: 'Event',
      messageId: 'Webhook id',
      target: 'Target',
      body: 'Body sent',
      deliveryStatus: 'Status',
      attempts: 'Attempts',
      lastStatusCode: 'Last status code',
      lastError: 'Last error',
      nextAttemptAt: 'Next attempt',
      deliveredAt: 'Delivered at',
      lockedUntil: 'Being sent until',
      claimToken: 'Claimed by',
    },
    readOnly: ['eventType', 'messageId', 'target', 'body', 'deliveryStatus', 'attempts', 'lastStatusCode', 'lastError', 'nextAttemptAt', 'deliveredAt', 'lockedUntil', 'claimToken'],
  },
  'workshop.talk': {
    mainField: 'title',
    labels: { title: 'Title', abstract: 'Abstract', startsAt: 'Starts', endsAt: 'Ends', kind: 'Kind', speakers: 'Speakers', videoUrl: 'Video', slidesUrl: 'Slides' },
  },
  'workshop.participant': {
    // A collapsed row reads "Xavier Bresson (National University of Singapore)" (src/participant-labels).
    mainField: 'label',
    edit: [
      [['person', 6], ['affiliation', 6]],
      [['label', 12]],
    ],
    labels: { person: 'Person', affiliation: 'Affiliation at this workshop', label: 'Printed as' },
    readOnly: ['label'],
  },
};
