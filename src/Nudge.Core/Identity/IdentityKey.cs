namespace Nudge.Core.Identity;

/// <summary>One normalized id of a person, e.g. (Email, "ada@example.com").</summary>
public readonly record struct IdentityKey(IdentityKind Kind, string Value)
{
    public override string ToString() => $"{Kind}:{Value}";
}
