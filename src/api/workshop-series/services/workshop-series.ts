import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::workshop-series.workshop-series');
