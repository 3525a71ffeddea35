namespace Nudge.Core.Segments;

/// <summary>
/// Folds the verdicts of the children of an <see cref="AnyOf"/> (deciding value true) or an <see cref="AllOf"/>
/// (deciding value false) into the parent's verdict, with the latest moment that is still safe to wake up.
/// </summary>
/// <remarks>
/// Once a child has the deciding value the parent keeps it until every such child could have changed: the latest
/// of their <see cref="Verdict.ValidUntil"/>, or never when one of them cannot change by time alone. Until then
/// any child's change can change the parent: the earliest of all. Both are still never later than a real change,
/// and they spare the engine wake-ups that could not change anything.
/// </remarks>
internal struct VerdictCombination(bool decidingValue)
{
    private readonly bool _decidingValue = decidingValue;
    private bool _decided;
    private bool _decidedForever;
    private DateTimeOffset? _latestDeciding;
    private DateTimeOffset? _earliestOther;

    public readonly Verdict Result =>
        _decided
            ? new Verdict(_decidingValue, _decidedForever ? null : _latestDeciding)
            : new Verdict(!_decidingValue, _earliestOther);

    /// <summary>Adds one child; true when the result can no longer change, so the remaining children need not be evaluated.</summary>
    public bool Add(Verdict child)
    {
        if (child.IsMember == _decidingValue)
        {
            if (child.ValidUntil is not { } until)
            {
                _decided = _decidedForever = true;
                return true;
            }
            if (!_decided || until > _latestDeciding)
                _latestDeciding = until;
            _decided = true;
        }
        else if (child.ValidUntil is { } until && (_earliestOther is null || until < _earliestOther))
        {
            _earliestOther = until;
        }
        return false;
    }
}
