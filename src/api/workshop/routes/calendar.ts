/** iCalendar files beside the REST API; public, and only ever of published workshops. */
export default {
  routes: [
    {
      method: 'GET',
      path: '/workshops/:slug/calendar.ics',
      handler: 'calendar.workshop',
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/calendar.ics',
      handler: 'calendar.upcoming',
      config: { auth: false },
    },
  ],
};
