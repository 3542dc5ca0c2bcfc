!----------------------------------------------------------------------
! ab: the A -> B reaction (AUTO-07p's demo ab), continued in D = PAR(1):
!   u1' = -u1 + D (1 - u1) exp(u2)
!   u2' = -u2 + D B (1 - u1) exp(u2) - beta u2,   B = PAR(2), beta = PAR(3)
! The same equations as the functor AB of tests/test_cont_hopf.cpp.
!----------------------------------------------------------------------
SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC
  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)
  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)
  DOUBLE PRECISION E
  E = EXP(U(2))
  F(1) = -U(1) + PAR(1)*(1 - U(1))*E
  F(2) = -U(2) + PAR(1)*PAR(2)*(1 - U(1))*E - PAR(3)*U(2)
END SUBROUTINE FUNC

SUBROUTINE STPNT(NDIM,U,PAR,T)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM
  DOUBLE PRECISION, INTENT(INOUT) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(IN) :: T
  PAR(1) = 0; PAR(2) = 14; PAR(3) = 2
  U(1) = 0; U(2) = 0
END SUBROUTINE STPNT

SUBROUTINE BCND
END SUBROUTINE BCND
SUBROUTINE ICND
END SUBROUTINE ICND
SUBROUTINE FOPT
END SUBROUTINE FOPT
SUBROUTINE PVLS
END SUBROUTINE PVLS
