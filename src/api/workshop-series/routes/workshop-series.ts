import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::workshop-series.workshop-series');
