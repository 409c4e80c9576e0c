import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './App';
import { startRouter } from './router';

startRouter();
const root = document.getElementById('app')!;
// The page's "Loading…" placeholder goes: Preact keeps what it did not render itself.
root.textContent = '';
render(<App />, root);
