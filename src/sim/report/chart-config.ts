// Shared look of the report charts: sizes, colours and a pinned formatting locale.

import type { Config } from 'vega-lite';

export const chartWidthPx = 640;
export const chartHeightPx = 220;
export const timeTitle = 'seconds since start';

/**
 * Pinned formatting locale (d3's en-US definitions, ASCII minus), so axis labels never follow
 * a process-wide default that something else may have changed.
 */
const reportLocale: Config['locale'] = {
  number: { decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-' },
  time: {
    dateTime: '%x, %X',
    date: '%-m/%-d/%Y',
    time: '%-I:%M:%S %p',
    periods: ['AM', 'PM'],
    days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    shortDays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    months: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
    shortMonths: [
      'Jan',
      'Feb',
      'Mar',
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
    ],
  },
};

export const chartConfig: Config = {
  locale: reportLocale,
  font: 'sans-serif',
  background: 'white',
  view: { stroke: '#dddddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

export const phaseColors = ['#e68310', '#3969ac', '#11a579', '#cf1c90', '#a5aa99'];
export const readinessColors = ['#11a579', '#e68310', '#a5aa99'];
export const faultColor = '#cf1c90';
