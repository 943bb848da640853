throw new Error('babel config from the submission was loaded');
