import { Module } from '@nestjs/common';
import { TrackerController } from './tracker.controller';
import { TrackerScriptLoader } from './tracker-script';

/** Serves the browser tracker (tracker/tracker.ts) at GET /script.js. */
@Module({
  controllers: [TrackerController],
  providers: [TrackerScriptLoader],
})
export class TrackerModule {}
