import type { Schema, Struct } from '@strapi/strapi';

export interface WorkshopParticipant extends Struct.ComponentSchema {
  collectionName: 'components_workshop_participants';
  info: {
    description: 'A person as credited on one workshop, with the affiliation they had at that time.';
    displayName: 'Participant';
    icon: 'user';
  };
  attributes: {
    affiliation: Schema.Attribute.Relation<
      'oneToOne',
      'api::organization.organization'
    >;
    label: Schema.Attribute.String & Schema.Attribute.Private;
    person: Schema.Attribute.Relation<'oneToOne', 'api::person.person'>;
  };
}

export interface WorkshopPosterSession extends Struct.ComponentSchema {
  collectionName: 'components_workshop_poster_sessions';
  info: {
    description: 'Whether the workshop has a poster session, and what participants need to know about it.';
    displayName: 'Poster session';
    icon: 'picture';
  };
  attributes: {
    details: Schema.Attribute.Text;
    enabled: Schema.Attribute.Boolean &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<false>;
  };
}

export interface WorkshopTalk extends Struct.ComponentSchema {
  collectionName: 'components_workshop_talks';
  info: {
    description: 'One slot of the schedule: a talk, the poster session, a panel or a break.';
    displayName: 'Talk';
    icon: 'microphone';
  };
  attributes: {
    abstract: Schema.Attribute.Text;
    endsAt: Schema.Attribute.DateTime;
    kind: Schema.Attribute.Enumeration<
      ['talk', 'poster_session', 'panel', 'break', 'other']
    > &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<'talk'>;
    slidesUrl: Schema.Attribute.String;
    speakers: Schema.Attribute.Relation<'oneToMany', 'api::person.person'>;
    startsAt: Schema.Attribute.DateTime;
    title: Schema.Attribute.String & Schema.Attribute.Required;
    videoUrl: Schema.Attribute.String;
  };
}

export interface WorkshopVenue extends Struct.ComponentSchema {
  collectionName: 'components_workshop_venues';
  info: {
    description: "Where the workshop takes place. Leave empty for the institute's own building.";
    displayName: 'Venue';
    icon: 'pinMap';
  };
  attributes: {
    attendanceMode: Schema.Attribute.Enumeration<
      ['offline', 'online', 'mixed']
    > &
      Schema.Attribute.Required &
      Schema.Attribute.DefaultTo<'offline'>;
    country: Schema.Attribute.String;
    locality: Schema.Attribute.String;
    name: Schema.Attribute.String & Schema.Attribute.Required;
    postalCode: Schema.Attribute.String;
    region: Schema.Attribute.String;
    streetAddress: Schema.Attribute.String;
  };
}

declare module '@strapi/strapi' {
  export namespace Public {
    export interface ComponentSchemas {
      'workshop.participant': WorkshopParticipant;
      'workshop.poster-session': WorkshopPosterSession;
      'workshop.talk': WorkshopTalk;
      'workshop.venue': WorkshopVenue;
    }
  }
}
