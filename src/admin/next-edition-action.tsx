import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import { useNavigate } from 'react-router-dom';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';

interface ActionProps {
  model: string;
  documentId?: string;
  document?: { startDate?: string };
}

interface Options {
  startDate: string;
  keepSpeakers: boolean;
  keepTalks: boolean;
}

const nextYear = (date?: string) => {
  if (!date) return '';
  const [year, month, day] = date.split('-').map(Number);
  const moved = new Date(Date.UTC(year + 1, month - 1, day));
  // 29 February has no twin next year: take the 28th.
  if (moved.getUTCMonth() !== month - 1) moved.setUTCDate(0);
  return moved.toISOString().slice(0, 10);
};

/**
 * The dialog's fields keep their own state. The content manager hands an action's dialog
 * content over through a throttled, asynchronous update, so fields controlled by the action's
 * state lagged behind the keyboard: React put back the previous value after each keystroke
 * (a year typed digit by digit came out as 0005) and checkboxes flickered.
 */
const NextEditionFields = ({ initial, report }: { initial: Options; report: MutableRefObject<Options> }) => {
  const [options, setOptions] = useState(initial);
  useEffect(() => {
    report.current = options;
  }, [options, report]);
  const set = (change: Partial<Options>) => setOptions((current) => ({ ...current, ...change }));

  const field = { display: 'flex', gap: '8px', alignItems: 'center', marginBottom: '12px', fontSize: '14px' } as const;
  return (
    <div>
      <p style={{ marginBottom: '16px', fontSize: '14px' }}>
        Creates a new draft with this workshop's texts, series, sponsors and organizers. Registration links are cleared.
        This workshop is not changed.
      </p>
      <label style={field}>
        First day
        <input type="date" name="startDate" value={options.startDate} onChange={(event) => set({ startDate: event.target.value })} />
      </label>
      <label style={field}>
        <input type="checkbox" name="keepSpeakers" checked={options.keepSpeakers} onChange={(event) => set({ keepSpeakers: event.target.checked })} />
        Keep the speakers
      </label>
      <label style={field}>
        <input type="checkbox" name="keepTalks" checked={options.keepTalks} onChange={(event) => set({ keepTalks: event.target.checked })} />
        Keep the schedule (moved to the new dates)
      </label>
    </div>
  );
};

/**
 * "Prepare next edition" in a workshop's edit view: asks for the new start date and whether to
 * keep speakers and talks, creates the draft on the server (src/editions) and opens it.
 */
export const PrepareNextEditionAction = ({ model, documentId, document }: ActionProps) => {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const navigate = useNavigate();
  const initial: Options = { startDate: nextYear(document?.startDate), keepSpeakers: false, keepTalks: false };
  // What the open dialog's fields hold (NextEditionFields sets it when it opens and on each change).
  const chosen = useRef<Options>(initial);

  if (model !== 'api::workshop.workshop' || !documentId) return null;

  const prepare = async () => {
    const { startDate, keepSpeakers, keepTalks } = chosen.current;
    try {
      const { data } = await post<{ data: { documentId: string; title: string } }>(`/workshop-editions/${documentId}`, {
        ...(startDate ? { startDate } : {}),
        keepSpeakers,
        keepTalks,
      });
      toggleNotification({ type: 'success', message: `Next edition prepared as a draft: ${data.data.title}` });
      navigate(`/content-manager/collection-types/api::workshop.workshop/${data.data.documentId}`);
    } catch (error) {
      const message = (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message;
      toggleNotification({ type: 'danger', message: message ?? 'The next edition could not be prepared.' });
    }
  };

  return {
    label: 'Prepare next edition',
    position: 'panel' as const,
    dialog: {
      type: 'dialog' as const,
      title: 'Prepare next edition',
      confirmLabel: 'Create draft',
      content: <NextEditionFields initial={initial} report={chosen} />,
      onConfirm: prepare,
    },
  };
};
