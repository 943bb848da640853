import { INestApplicationContext } from '@nestjs/common';

export interface CliCommand {
  name: string;
  usage: string;
  run(args: string[], withApp: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>): Promise<number>;
}

/** Commands contributed by modules (sandbox:build, grade). */
export const CLI_EXTRA_COMMANDS: CliCommand[] = [
  {
    name: 'sandbox:build',
    usage: 'sandbox:build                              build the sandbox runtime images (skipped when the tagged image exists)',
    run: async () => {
      console.log('sandbox images: builder not wired yet');
      return 0;
    },
  },
];
