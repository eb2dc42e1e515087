const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const parts = (isoDate: string) => {
  const [year, month, day] = isoDate.split('-').map(Number);
  return { year, month: MONTHS[month - 1], day };
};

/**
 * The dates of a workshop as the institute prints them:
 * "March 4, 2025", "January 23 - 27, 2023", "January 30 - February 3, 2023",
 * "December 30, 2024 - January 2, 2025".
 */
export const formatDateRange = (startDate: string, endDate: string): string => {
  const start = parts(startDate);
  const end = parts(endDate ?? startDate);
  if (start.year !== end.year) return `${start.month} ${start.day}, ${start.year} - ${end.month} ${end.day}, ${end.year}`;
  if (start.month !== end.month) return `${start.month} ${start.day} - ${end.month} ${end.day}, ${end.year}`;
  if (start.day !== end.day) return `${start.month} ${start.day} - ${end.day}, ${end.year}`;
  return `${start.month} ${start.day}, ${start.year}`;
};
