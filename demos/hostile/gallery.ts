// The gallery page: a link per fixture (beside the cubes room), and one for all at once.
import { HOSTILE_FIXTURES } from './catalog';

const withGuests = (files: string[]) => {
  const query = new URLSearchParams();
  query.append('guest', 'demos/cubes.js');
  for (const file of files) query.append('guest', `demos/hostile/${file}`);
  return `/?${query}`;
};

document.querySelector<HTMLAnchorElement>('#all')!.href = withGuests(HOSTILE_FIXTURES.map((f) => f.file));
const body = document.querySelector('#fixtures')!;
for (const fixture of HOSTILE_FIXTURES) {
  const row = document.createElement('tr');
  const link = document.createElement('a');
  link.href = withGuests([fixture.file]);
  link.textContent = fixture.file;
  const cells = [link, document.createTextNode(fixture.does), document.createTextNode(fixture.ends)];
  for (const content of cells) {
    const td = document.createElement('td');
    td.append(content);
    row.append(td);
  }
  body.append(row);
}
