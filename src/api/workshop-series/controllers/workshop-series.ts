import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::workshop-series.workshop-series');
