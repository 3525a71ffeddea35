namespace Nudge.Core.Segments;

/// <summary>The type of a profile property, which decides the operators a condition may use on it.</summary>
public enum ProfilePropertyKind
{
    /// <summary>Free-form traits: any operator; the operand decides how the value is read.</summary>
    Any,
    Text,
    Number,
    Date,
}
