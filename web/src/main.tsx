import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './App';
import { startRouter } from './router';

startRouter();
render(<App />, document.getElementById('app')!);
