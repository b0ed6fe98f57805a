/**
 * Filter fields the pages share. Uncontrolled (`selected`, no `value`): a page of results
 * arriving re-renders the form, which must not reset what the user picked.
 */
export function ChoiceField(props: { label: string; name: string; choices: readonly string[]; current?: string }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">any</option>
        {props.choices.map((choice) => (
          <option key={choice} selected={props.current === choice}>
            {choice}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Creation-time bounds in the viewer's time zone (sent as ISO instants). */
export function CreatedRangeFields() {
  return (
    <>
      <label>
        Created after
        <input type="datetime-local" name="created_after" step="1" />
      </label>
      <label>
        Created before
        <input type="datetime-local" name="created_before" step="1" />
      </label>
    </>
  );
}
