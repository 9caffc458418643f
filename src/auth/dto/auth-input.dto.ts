import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EmailField, NameField, PasswordField } from '../../users/dto/user-input.dto';

const TokenField = (description: string): PropertyDecorator => (target, key) => {
  ApiProperty({ description, maxLength: 200, example: 'q3Zf9yq0c2J3oX6l2cR3Kk8o2q4mWmZ0sE0Yq1oN5Ek' })(target, key);
  IsString()(target, key);
  IsNotEmpty()(target, key);
  MaxLength(200)(target, key);
};

export class RegisterDto {
  @EmailField()
  email: string;

  @PasswordField()
  password: string;

  @NameField('Ada')
  firstName: string;

  @NameField('Lovelace')
  lastName: string;
}

export class LoginDto {
  @EmailField()
  email: string;

  @ApiProperty({ format: 'password', maxLength: 128, example: 'correct horse battery' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

export class EmailOnlyDto {
  @EmailField()
  email: string;
}

export class RefreshDto {
  @TokenField('The refresh token from login or the last refresh.')
  refreshToken: string;
}

export class ConfirmQueryDto {
  @TokenField('The token from the confirmation link.')
  token: string;
}

export class ResetPasswordDto {
  @TokenField('The token from the reset link.')
  token: string;

  @PasswordField('The new password: 8 to 128 characters.')
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', maxLength: 128, example: 'correct horse battery' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  currentPassword: string;

  @PasswordField('The new password: 8 to 128 characters.')
  newPassword: string;
}
