import { describe, expect, it } from 'vitest';
import { ApiError, messageOf } from '../../lib/errors.ts';
import { placeErrors } from './fieldErrors.ts';

const SETTINGS = ['time_zone', 'thresholds', 'thresholds.risk_score_trigger', 'snooze', 'snooze.min_days'];

describe('a refused save, placed beside the fields it names', () => {
  it('puts each problem of update_organisation_settings beside its setting, worded without the key', () => {
    const error = new ApiError('thresholds.risk_score_trigger must be a whole number from 0 to 100; time_zone must be a time zone name such as Europe/Paris',
      { code: '22023', status: 400, hint: 'Nothing was changed; fix the settings named and try again.' });
    expect(placeErrors(error, SETTINGS)).toEqual({
      fields: { 'thresholds.risk_score_trigger': 'Must be a whole number from 0 to 100.', time_zone: 'Must be a time zone name such as Europe/Paris.' },
      general: null,
    });
  });

  it('gives a section what names an unknown setting of it, and keeps what names no field general', () => {
    const error = new ApiError('thresholds.speed is not a setting (known in thresholds: …); colour is not a settings group (known: …)', { code: '22023', status: 400 });
    const placed = placeErrors(error, SETTINGS);
    expect(placed.fields).toEqual({ thresholds: 'Thresholds.speed is not a setting (known in thresholds: …).' });
    expect(messageOf(placed.general)).toBe('colour is not a settings group (known: …)');
  });

  it('reads every problem of save_saved_action from its details, config keys and all', () => {
    const error = new ApiError("The action's settings are not valid: config.default_days must not be fewer than the fewest days (5)",
      { code: '22023', status: 400, details: 'config.default_days must not be fewer than the fewest days (5)\nconfig.default_level must be one of config.levels' });
    expect(placeErrors(error, ['snooze', 'default_days', 'default_level']).fields).toEqual({
      default_days: 'Must not be fewer than the fewest days (5).',
      default_level: 'Must be one of levels.',
    });
  });

  it('leaves an error that names no field, or is no refused value, as it was', () => {
    const forbidden = new ApiError('Only admins can change saved actions', { code: '42501', status: 403 });
    expect(placeErrors(forbidden, SETTINGS)).toEqual({ fields: {}, general: forbidden });
    const unnamed = new ApiError('A core action keeps its name and description; your organisation sets its limits', { code: '22023', status: 400 });
    expect(placeErrors(unnamed, SETTINGS)).toEqual({ fields: {}, general: unnamed });
    expect(placeErrors(null, SETTINGS)).toEqual({ fields: {}, general: null });
  });
});
