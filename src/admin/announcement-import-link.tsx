import { Link, useLocation } from 'react-router-dom';

export const ANNOUNCEMENT_IMPORT_PATH = '/announcement-import';

/** Workshops' list view: a way to the "Import announcement" page beside "Create new entry". */
export const ImportAnnouncementLink = () => {
  const { pathname } = useLocation();
  if (!pathname.includes('/collection-types/api::workshop.workshop')) return null;
  return (
    <Link
      to={ANNOUNCEMENT_IMPORT_PATH}
      style={{ padding: '8px 16px', fontSize: '12px', fontWeight: 600, borderRadius: '4px', border: '1px solid #dcdce4', textDecoration: 'none', color: 'inherit', whiteSpace: 'nowrap' }}
    >
      Import announcement
    </Link>
  );
};

/** The menu's icon: a page with lines of text. */
export const AnnouncementIcon = () => (
  <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
    <path d="M6 2h9l5 5v15H6z" />
    <path d="M9 12h8M9 16h8M9 8h4" />
  </svg>
);
