import { useState, type CSSProperties } from 'react';
import { useNavigate } from 'react-router-dom';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';

/** What POST /workshop-announcements/preview answers (src/announcements/draft.ts). */
interface Credit {
  name: string;
  affiliation?: string;
  exists: boolean;
  currentAffiliation?: string | null;
  affiliationExists: boolean;
}

interface Preview {
  title: string;
  slug: string;
  dateRange: string;
  summary: string | null;
  overview: string[];
  participation: string[];
  posterSession: { enabled: boolean; details?: string } | null;
  registrationUrl: string | null;
  fundingApplicationUrl: string | null;
  series: { name: string; acknowledgement: string | null; exists: boolean } | null;
  sponsors: Array<{ name: string; acronym: string | null; exists: boolean }>;
  organizers: Credit[];
  speakers: Credit[];
  creates: { people: number; organizations: number; sponsors: number; series: number };
}

interface Problem {
  line?: number;
  field: string;
  message: string;
}

type ApiError = { response?: { data?: { error?: { message?: string; details?: { problems?: Problem[] } } } } };

const WORKSHOP_EDIT_VIEW = '/content-manager/collection-types/api::workshop.workshop';

const styles = {
  section: { marginBottom: '24px' },
  heading: { fontSize: '16px', fontWeight: 600, margin: '0 0 8px' },
  paragraph: { fontSize: '14px', lineHeight: '1.5', margin: '0 0 8px' },
  textarea: { width: '100%', minHeight: '320px', fontFamily: 'monospace', fontSize: '13px', padding: '12px', color: 'inherit', background: 'transparent', border: '1px solid #c0c0cf', borderRadius: '4px' },
  button: { padding: '8px 16px', fontSize: '14px', fontWeight: 600, borderRadius: '4px', border: '1px solid #4945ff', cursor: 'pointer' },
  table: { borderCollapse: 'collapse', fontSize: '14px', width: '100%' },
  cell: { textAlign: 'left', padding: '6px 12px 6px 0', borderBottom: '1px solid #eaeaef', verticalAlign: 'top' },
  problems: { border: '1px solid #ee5e52', background: '#fcecea', color: '#b72b1a', borderRadius: '4px', padding: '12px 16px', marginBottom: '16px', fontSize: '14px' },
} satisfies Record<string, CSSProperties>;

const primary: CSSProperties = { ...styles.button, background: '#4945ff', color: '#ffffff' };
const secondary: CSSProperties = { ...styles.button, background: 'transparent', color: '#4945ff' };

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const People = ({ label, people }: { label: string; people: Credit[] }) => (
  <section style={styles.section} aria-label={label}>
    <h2 style={styles.heading}>
      {label} ({people.length})
    </h2>
    {people.length === 0 ? (
      <p style={styles.paragraph}>None in the announcement.</p>
    ) : (
      <table style={styles.table}>
        <thead>
          <tr>
            <th style={styles.cell}>Name</th>
            <th style={styles.cell}>Affiliation (as announced)</th>
            <th style={styles.cell}>Person</th>
            <th style={styles.cell}>Organization</th>
          </tr>
        </thead>
        <tbody>
          {people.map((person) => (
            <tr key={person.name}>
              <td style={styles.cell}>{person.name}</td>
              <td style={styles.cell}>{person.affiliation ?? '—'}</td>
              <td style={styles.cell}>
                {person.exists ? 'Existing' : 'New'}
                {person.currentAffiliation !== undefined && ` (today: ${person.currentAffiliation ?? 'no affiliation'})`}
              </td>
              <td style={styles.cell}>{person.affiliation ? (person.affiliationExists ? 'Existing' : 'New') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

const Paragraphs = ({ label, paragraphs }: { label: string; paragraphs: string[] }) => (
  <section style={styles.section} aria-label={label}>
    <h2 style={styles.heading}>{label}</h2>
    {paragraphs.length === 0 ? <p style={styles.paragraph}>None in the announcement.</p> : paragraphs.map((text, index) => <p key={index} style={styles.paragraph}>{text}</p>)}
  </section>
);

const WhatWasRead = ({ preview }: { preview: Preview }) => (
  <div>
    <section style={styles.section} aria-label="Workshop">
      <h2 style={styles.heading}>{preview.title}</h2>
      <p style={styles.paragraph}>{preview.dateRange}</p>
      <p style={styles.paragraph}>Page address: {preview.slug}</p>
      {preview.summary && <p style={styles.paragraph}>Summary (for cards): {preview.summary}</p>}
    </section>
    <Paragraphs label="Scientific Overview" paragraphs={preview.overview} />
    <Paragraphs label="Participation" paragraphs={preview.participation} />
    <section style={styles.section} aria-label="Poster session, series and sponsors">
      <h2 style={styles.heading}>Poster session, series and sponsors</h2>
      <p style={styles.paragraph}>Poster session: {preview.posterSession?.enabled ? `yes${preview.posterSession.details ? `. ${preview.posterSession.details}` : ''}` : 'none announced'}</p>
      <p style={styles.paragraph}>Series: {preview.series ? `${preview.series.name} (${preview.series.exists ? 'existing' : 'new'})` : 'none'}</p>
      <p style={styles.paragraph}>
        Sponsors: {preview.sponsors.length === 0 ? 'none' : preview.sponsors.map((s) => `${s.name}${s.acronym ? ` (${s.acronym})` : ''}, ${s.exists ? 'existing' : 'new'}`).join('; ')}
      </p>
      {preview.registrationUrl && <p style={styles.paragraph}>Registration: {preview.registrationUrl}</p>}
      {preview.fundingApplicationUrl && <p style={styles.paragraph}>Funding application: {preview.fundingApplicationUrl}</p>}
    </section>
    <People label="Organizers" people={preview.organizers} />
    <People label="Speakers" people={preview.speakers} />
  </div>
);

/**
 * "Import announcement": staff paste an announcement as IPAM prints it, see what was read (and
 * who is new, who is already in the CMS) with nothing written yet, then create the draft and
 * land on it. The server reads the text again on confirmation (src/announcements/admin-route.ts).
 */
const AnnouncementImportPage = () => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [refusal, setRefusal] = useState<{ message: string; problems: Problem[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const refused = (error: unknown, fallback: string) => {
    const answer = (error as ApiError).response?.data?.error;
    setRefusal({ message: answer?.message?.split('\n')[0] ?? fallback, problems: answer?.details?.problems ?? [] });
  };

  const read = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const { data } = await post<{ data: Preview }>('/workshop-announcements/preview', { text });
      setPreview(data.data);
    } catch (error) {
      setPreview(null);
      refused(error, 'The announcement could not be read.');
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    setBusy(true);
    try {
      const { data } = await post<{ data: { documentId: string; title: string } }>('/workshop-announcements', { text });
      toggleNotification({ type: 'success', message: `Draft created from the announcement: ${data.data.title}. It is not published.` });
      navigate(`${WORKSHOP_EDIT_VIEW}/${data.data.documentId}`);
    } catch (error) {
      refused(error, 'The draft could not be created.');
      setBusy(false);
    }
  };

  const creates = preview?.creates;
  return (
    <Page.Main>
      <Page.Title>Import announcement</Page.Title>
      <Layouts.Header
        title="Import announcement"
        subtitle="Paste a workshop announcement as IPAM prints it: title, dates, sections, organizers and speakers as Name (Affiliation)."
      />
      <Layouts.Content>
        {refusal && (
          <div role="alert" style={styles.problems}>
            <p style={{ margin: '0 0 8px', fontWeight: 600 }}>{refusal.message}</p>
            {refusal.problems.length > 0 && (
              <ul style={{ margin: 0, paddingLeft: '20px' }}>
                {refusal.problems.map((problem, index) => (
                  <li key={index}>
                    {problem.line ? `Line ${problem.line}` : 'The text'}
                    {problem.field ? ` (${problem.field})` : ''}: {problem.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {preview && creates ? (
          <div>
            <p style={{ ...styles.paragraph, fontWeight: 600 }} role="status">
              Nothing is written yet. Creating the draft adds {plural(creates.people, 'new person', 'new people')}, {plural(creates.organizations, 'new organization', 'new organizations')},{' '}
              {plural(creates.sponsors, 'new sponsor', 'new sponsors')} and {plural(creates.series, 'new series', 'new series')}; everyone marked existing is reused. The workshop is not published.
            </p>
            <div style={{ display: 'flex', gap: '8px', marginBottom: '24px' }}>
              <button type="button" style={primary} disabled={busy} onClick={create}>
                Create draft
              </button>
              <button type="button" style={secondary} disabled={busy} onClick={() => setPreview(null)}>
                Back to the text
              </button>
            </div>
            <WhatWasRead preview={preview} />
          </div>
        ) : (
          <div>
            <label style={{ display: 'block', fontSize: '14px', fontWeight: 600, marginBottom: '8px' }} htmlFor="announcement-text">
              Announcement text
            </label>
            <textarea id="announcement-text" style={styles.textarea} value={text} onChange={(event) => setText(event.target.value)} />
            <div style={{ marginTop: '12px' }}>
              <button type="button" style={primary} disabled={busy || !text.trim()} onClick={read}>
                Read announcement
              </button>
            </div>
          </div>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default AnnouncementImportPage;
